import { afterEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { hostileRepo } from './hostile-repo.js'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

// ESC [2J clears the screen, ESC ] 0 ; ... BEL sets the window title: YAML's "\e" and "\a" escapes write them.
const CLEAR = '\\e[2J'
const TITLE = '\\e]0;pwned\\a'
// eslint-disable-next-line no-control-regex
const RAW = /[\u001b\u0007]/

async function run(files: Record<string, string>, args: readonly string[]) {
  const repo = await hostileRepo(files)
  cleanup = repo.remove
  return runInProcess([...args.map((a) => (a === 'ROOT' ? repo.root : a))], repo.root)
}

describe('repository text never reaches the terminal as control characters', () => {
  it('scan: a resource and a container name in the text report, and a palisade.yaml key in the usage error', async () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p${CLEAR}"\nspec:\n  containers:\n    - { name: "c${TITLE}", image: nginx, securityContext: { privileged: true } }\n`
    const report = await run({ 'pod.yaml': pod }, ['scan', 'ROOT', '--format', 'text', '--verbose'])
    expect(report.stdout).toContain('Pod/p\u241b[2J')
    expect(report.stdout).toContain('Container "c\u241b]0;pwned\u2407"')
    expect(report.stdout + report.stderr).not.toMatch(RAW)

    const config = await run({ 'pod.yaml': pod, 'palisade.yaml': `policies:\n  "pa${CLEAR}rams": 1\n` }, [
      'scan',
      'ROOT',
    ])
    expect(config.code).toBe(2)
    expect(config.stderr).toContain('unknown field "pa\u241b[2Jrams"')
    expect(config.stderr).not.toMatch(RAW)
  })

  it('scan: an Argo CD Application name and repoURL in the GitOps sources section of the text report', async () => {
    const app = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: "w${CLEAR}"\nspec:\n  source:\n    repoURL: "https://x${TITLE}.example/r"\n    path: chart\n  destination:\n    namespace: web\n`
    const report = await run({ 'app.yaml': app }, ['scan', 'ROOT', '--format', 'text'])
    expect(report.stdout).toContain(
      'not scanned Argo CD Application w\u241b[2J: https://x\u241b]0;pwned\u2407.example/r',
    )
    expect(report.stdout + report.stderr).not.toMatch(RAW)
  })

  it('test: names of a kyverno-test.yaml in the text results and in the problems', async () => {
    const test = `apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\npolicies: ["p${CLEAR}.yaml"]\nresources: [r.yaml]\nresults:\n  - { policy: "po${TITLE}", rule: "r${CLEAR}", resources: ["x${CLEAR}"], kind: Pod, result: pass }\n`
    const out = await run({ 'kyverno-test.yaml': test, 'r.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n' }, [
      'test',
      'ROOT',
    ])
    expect(out.stdout).toContain('po\u241b]0;pwned\u2407/r\u241b[2J  Pod/x\u241b[2J')
    expect(out.stderr).toContain('p\u241b[2J.yaml')
    expect(out.stdout + out.stderr).not.toMatch(RAW)
  })

  it('evidence verify: the payloadType of a bundle is quoted with its control characters as pictures', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const envelope = JSON.stringify({ payloadType: 'x\u001b[2J', payload: '', signatures: [] })
    const result = await run({ 'b/envelope.dsse.json': envelope, 'k.pem': pem }, [
      'evidence',
      'verify',
      'b',
      '--key',
      'k.pem',
    ])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('payloadType is x\u241b[2J')
    expect(result.stdout + result.stderr).not.toMatch(RAW)
  })
})
