import { execFileSync } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkStaged, runScan } from '../../src/app/index.js'
import type { AppIo } from '../../src/app/io.js'
import { DEFAULT_MAX_FILE_BYTES } from '../../src/sources/index.js'
import { gitInit, hostileTree, privilegedPod } from './hostile-tree.js'

// The hook and `palisade scan` must give a staged file the same environment and action:
// otherwise a commit is blocked on a laptop that CI lets through (or the other way round).
// Without environments in palisade.yaml, folders name them (envs/prod, overlays/staging):
// production denies, staging warns.

let tree: ReturnType<typeof hostileTree>
beforeEach(() => {
  tree = hostileTree('hook-env')
  gitInit(tree.dir)
})
afterEach(() => tree.cleanup())

const io = (): AppIo => ({ stdin: process.stdin, cwd: tree.dir, env: {}, now: () => new Date('2026-01-01T00:00:00Z') })

/** policy, file, environment, action of each finding, sorted. */
const verdicts = (
  findings: readonly { policyId: string; span?: { file: string }; environment?: string; action: string }[],
) =>
  findings
    .map((f) => [f.policyId, f.span?.file, f.environment ?? '-', f.action].join(' '))
    .filter((v) => v.startsWith('disallow-privileged-containers '))
    .sort()

describe('the pre-commit hook resolves environments as scan does', () => {
  it('layout environments (no palisade.yaml): staging warns and production denies in both', async () => {
    tree.write('envs/staging/pod.yaml', privilegedPod('staging-pod'))
    tree.write('envs/prod/pod.yaml', privilegedPod('prod-pod'))
    execFileSync('git', ['add', '-A'], { cwd: tree.dir })
    const hook = await checkStaged({}, io())
    const scan = await runScan(
      { paths: ['.'], render: false, maxFileSize: DEFAULT_MAX_FILE_BYTES, kubernetesVersion: '1.35' },
      io(),
    )
    expect(verdicts(hook?.result.findings ?? [])).toEqual([
      'disallow-privileged-containers envs/prod/pod.yaml production deny',
      'disallow-privileged-containers envs/staging/pod.yaml staging warn',
    ])
    expect(verdicts(hook?.result.findings ?? [])).toEqual(verdicts(scan.result.findings))
  })

  it('configured environments without paths still take the layout, as in scan', async () => {
    tree.write(
      'palisade.yaml',
      'environments:\n  - name: production\n    namespaces: ["prod-*"]\n  - name: staging\n    namespaces: ["stg-*"]\n    actions:\n      default: audit\n',
    )
    tree.write('clusters/staging/pod.yaml', privilegedPod('staging-pod'))
    execFileSync('git', ['add', '-A'], { cwd: tree.dir })
    const hook = await checkStaged({}, io())
    const scan = await runScan(
      { paths: ['.'], render: false, maxFileSize: DEFAULT_MAX_FILE_BYTES, kubernetesVersion: '1.35' },
      io(),
    )
    expect(verdicts(hook?.result.findings ?? [])).toEqual([
      'disallow-privileged-containers clusters/staging/pod.yaml staging audit',
    ])
    expect(verdicts(hook?.result.findings ?? [])).toEqual(verdicts(scan.result.findings))
  })
})
