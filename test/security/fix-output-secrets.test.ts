import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { hostileTree } from './hostile-tree.js'

// `palisade fix` prints the user's own files (diff context lines, edited lines, SARIF
// replacements). Secret values next to a fixed field must come out masked as the scan's
// code frames mask them, in every format, while the files are written with their real bytes.

const PASSWORD = 'Hk3jQ9wErT5yUi1o'
const STRING_DATA = 'Zq8vLp2mXw9Rt4Yb'
const CONFIG_TOKEN = 'Pm4nBv7cXz1aSd5fGh'
const FLOW_PASSWORD = 'Wd6sTg2hYj8kLz0x'
const KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string
const KEY_LINES = KEY.trim().split('\n')
// Every line of the key body, the short last one included: none may be printed.
const KEY_BODY = KEY_LINES.slice(1, -1)

const indented = (text: string, by: string): string =>
  text
    .trim()
    .split('\n')
    .map((l) => by + l)
    .join('\n')

/** Block style: the fix inserts after the env list, so the key's last lines and the Secret are diff context. */
const BLOCK = `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env:
        - name: DB_PASSWORD
          value: ${PASSWORD}
        - name: TLS_KEY
          value: |
${indented(KEY, '            ')}
---
{apiVersion: v1, kind: Secret, metadata: {name: db}, stringData: {password: ${STRING_DATA}}}
`

/** Flow style: the fix rewrites the line that holds the env value; the ConfigMap's token is context. */
const FLOW = `{apiVersion: v1, kind: ConfigMap, metadata: {name: cfg}, data: {token: ${CONFIG_TOKEN}}}
---
{apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: web, image: registry.example.com/web:1.0.0, env: [{name: DB_PASSWORD, value: ${FLOW_PASSWORD}}]}]}}
`

const SECRETS = [PASSWORD, STRING_DATA, CONFIG_TOKEN, FLOW_PASSWORD, ...KEY_BODY]

let tree: ReturnType<typeof hostileTree>
beforeEach(() => {
  tree = hostileTree('fix-secrets')
  tree.write('repo/block.yaml', BLOCK)
  tree.write('repo/flow.yaml', FLOW)
})
afterEach(() => tree.cleanup())

const read = (rel: string): string => readFileSync(join(tree.dir, rel), 'utf8')
const printed = (text: string): string[] => SECRETS.filter((s) => text.includes(s))

describe('palisade fix never prints the secret values of the files it fixes', () => {
  it('--dry-run (text): diff context and edited lines are masked, the files are not touched', async () => {
    const run = await runInProcess(['fix', 'repo', '--dry-run'], tree.dir)
    expect(run.stderr).toBe('')
    // The fixes were planned (a diff of both files), and their secrets are in it as `*`s.
    expect(run.stdout).toContain('+++ b/repo/block.yaml')
    expect(run.stdout).toContain('+++ b/repo/flow.yaml')
    expect(run.stdout).toContain('allowPrivilegeEscalation: false')
    expect(run.stdout).toContain(`password: ${'*'.repeat(STRING_DATA.length)}`)
    expect(run.stdout).toContain(`value: ${'*'.repeat(FLOW_PASSWORD.length)}`)
    expect(printed(run.stdout + run.stderr)).toEqual([])
    expect(read('repo/block.yaml')).toBe(BLOCK)
    expect(read('repo/flow.yaml')).toBe(FLOW)
  })

  it('--format json: edits are masked and say so', async () => {
    const run = await runInProcess(['fix', 'repo', '--dry-run', '--format', 'json'], tree.dir)
    const report = JSON.parse(run.stdout) as { edits: { file: string; after: string; masked?: boolean }[] }
    const flow = report.edits.find((e) => e.file === 'repo/flow.yaml')
    expect(flow?.masked).toBe(true)
    expect(flow?.after).toContain('allowPrivilegeEscalation: false')
    expect(report.edits.find((e) => e.file === 'repo/block.yaml')?.masked).toBeUndefined()
    expect(printed(run.stdout + run.stderr)).toEqual([])
  })

  it('--format markdown: each finding’s own diff is masked', async () => {
    const run = await runInProcess(['fix', 'repo', '--dry-run', '--format', 'markdown'], tree.dir)
    expect(run.stdout).toContain('```diff')
    expect(run.stdout).toContain(`value: ${'*'.repeat(FLOW_PASSWORD.length)}`)
    expect(printed(run.stdout + run.stderr)).toEqual([])
  })

  it('--format sarif: a replacement that would carry a masked secret is not offered, the others are', async () => {
    const run = await runInProcess(['fix', 'repo', '--dry-run', '--format', 'sarif'], tree.dir)
    expect(printed(run.stdout + run.stderr)).toEqual([])
    const sarif = JSON.parse(run.stdout) as {
      runs: {
        results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; fixes?: unknown[] }[]
      }[]
    }
    const withFixes = sarif.runs[0]!.results.filter((r) => (r.fixes ?? []).length > 0)
    const files = new Set(withFixes.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri))
    expect([...files]).toEqual(['repo/block.yaml'])
  })

  it('without --dry-run the files are written with their real values; the report masks them', async () => {
    const run = await runInProcess(['fix', 'repo', '--format', 'json'], tree.dir)
    expect(printed(run.stdout + run.stderr)).toEqual([])
    const flow = read('repo/flow.yaml')
    const block = read('repo/block.yaml')
    expect(flow).toContain('allowPrivilegeEscalation: false')
    expect(block).toContain('allowPrivilegeEscalation: false')
    for (const secret of [FLOW_PASSWORD, CONFIG_TOKEN]) expect(flow).toContain(secret)
    for (const secret of [PASSWORD, STRING_DATA, ...KEY_BODY]) expect(block).toContain(secret)
  })
})
