import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { FORMAT_NAMES } from '../../src/report/index.js'
import { hostileTree } from './hostile-tree.js'

// Split so this file holds no literal token: a GitHub token shape and two registry passwords.
const TOKEN = `ghp_${'Zq8Lm3Vx9Tb2Nc7Kd4Rf'}6Hj1Wp5Ys0Ae8Gu3`
const SCHEME_PASSWORD = `S3cr3t${'Passw0rd'}99`
const USERINFO_PASSWORD = `Hunter${'2isNot'}Secret77`

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  `  name: web-${TOKEN}`,
  'spec:',
  '  containers:',
  '    - name: app',
  `      image: registry.example.com/app:${TOKEN}`,
  '    - name: two',
  `      image: https://deploy:${SCHEME_PASSWORD}@registry.example.com/app:1.0`,
  '    - name: three',
  `      image: deploy:${USERINFO_PASSWORD}@registry.example.com/app:1.0`,
  '',
].join('\n')

// Messages quote images and names; whatever the format, none of them may print a credential.
describe('every string a report prints is masked like the code frames', () => {
  const tree = hostileTree('redaction')
  beforeAll(() => void tree.write('pod.yaml', POD))
  afterAll(() => tree.cleanup())

  for (const format of FORMAT_NAMES) {
    it(`palisade scan --format ${format}`, async () => {
      const run = await runInProcess(['scan', 'pod.yaml', '--no-render', '--format', format], tree.dir)
      expect(run.stdout.length).toBeGreaterThan(0)
      for (const secret of [TOKEN, SCHEME_PASSWORD, USERINFO_PASSWORD]) {
        expect(run.stdout).not.toContain(secret)
        expect(run.stderr).not.toContain(secret)
      }
      // The findings about those images are still there, with the value masked.
      expect(run.stdout).toMatch(/registry\.example\.com\/app:(?:\\?\*){8}/)
    })
  }

  it('palisade secrets prints none of them either', async () => {
    const run = await runInProcess(['secrets', 'pod.yaml', '--format', 'json'], tree.dir)
    expect(run.code).toBe(1)
    for (const secret of [TOKEN, SCHEME_PASSWORD, USERINFO_PASSWORD]) expect(run.stdout).not.toContain(secret)
  })
})
