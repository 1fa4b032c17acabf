import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { selectPolicies } from '../src/engine/index.js'
import { BUILTIN_POLICIES } from '../src/policies/index.js'
import { ROOT, runCli } from './e2e/run-cli.js'

// The README states facts about the code; these keep them true.
const readme = readFileSync(`${ROOT}README.md`, 'utf8')
const number = (pattern: RegExp): number => {
  const m = pattern.exec(readme.replace(/\s+/g, ' '))
  expect(m, String(pattern)).not.toBeNull()
  return Number(m?.[1])
}

describe('README', () => {
  it('counts the policies as the code has them', () => {
    const pss = BUILTIN_POLICIES.filter((p) => (p.controls ?? []).some((c) => c.framework === 'pss')).length
    expect(number(/(\d+) built-in policies/)).toBe(BUILTIN_POLICIES.length)
    expect(number(/the (\d+) checks of the Kubernetes Pod Security Standards/)).toBe(pss)
    expect(number(/and (\d+) more for workload hardening/)).toBe(BUILTIN_POLICIES.length - pss)
    expect(number(/(\d+) are stable and run by default/)).toBe(selectPolicies(BUILTIN_POLICIES, 'all').selected.length)
    expect(number(/(\d+) are experimental/)).toBe(BUILTIN_POLICIES.filter((p) => p.stage === 'experimental').length)
    const scan = runCli(['scan', '-', '--format', 'json'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: team }\n',
    })
    expect(number(/so its summary counts (\d+) policies/)).toBe(
      (JSON.parse(scan.stdout) as { summary: { policies: number } }).summary.policies,
    )
  })

  it('starts Palisade as a fresh clone can (npx palisade), never a bare palisade that is not on PATH', () => {
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string)
    const bare = blocks.flatMap((b) => b.split('\n')).filter((line) => /(^|[|;&]\s*)palisade\s/.test(line.trim()))
    expect(bare).toEqual([])
  })

  it('shows every command of the CLI', () => {
    const help = runCli(['--help']).stdout
    const commands = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]+)/gm)]
      .map((m) => m[1] as string)
      .filter((c) => c !== 'help')
    expect(commands).toEqual(expect.arrayContaining(['scan', 'secrets', 'verify-commits', 'hook']))
    expect(commands.filter((c) => !readme.includes(`npx palisade ${c}`))).toEqual([])
  })
})
