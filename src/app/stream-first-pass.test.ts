import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { formatJsonChunks, formatJsonReport, type FormatOptions } from '../report/index.js'
import { headerFileOf } from '../yaml/header-fragments.test-support.js'
import { runScan, runStreamingScan, type AppIo, type ScanOptions, type StreamedScan } from './index.js'

/*
 * The streaming scan's first pass parses only the documents something may be kept of
 * (pipeline/kept-parts.ts); its report must stay the buffered scan's, byte for byte, also when
 * a document it counted without parsing does not parse (the second pass then numbers the
 * file's resources as the first did).
 */

const io = (cwd: string): AppIo => ({
  stdin: Readable.from([]),
  cwd,
  env: {},
  now: () => new Date('2026-01-01T00:00:00Z'),
})
const options: ScanOptions = { paths: ['.'], render: false, maxFileSize: 1 << 20, kubernetesVersion: '1.35' }
const FORMAT: FormatOptions = { color: false, toolVersion: '0.0.0-test', cwd: '/' }

async function bothReports(dir: string): Promise<{ buffered: string; streamed: string }> {
  const outcome = await runScan(options, io(dir))
  const buffered = [...formatJsonChunks(outcome.result, FORMAT)].join('')
  let streamed = ''
  const how = await runStreamingScan(
    options,
    io(dir),
    { format: 'json' },
    async (run: StreamedScan) => {
      streamed = [...formatJsonReport({ ...run, findingText: run.findingText() }, FORMAT)].join('')
    },
    { fromBytes: 0 },
  )
  expect(how).toEqual({ streamed: true })
  return { buffered, streamed }
}

const dirs: string[] = []
const folderWith = (files: string[]): string => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-first-pass-'))
  dirs.push(dir)
  files.forEach((text, i) => writeFileSync(join(dir, `f${i}.yaml`), text))
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const workload = (name: string, namespace: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n`

describe('the streaming scan with the header-read first pass', () => {
  it('reports cross-resource findings on the same resources after a document that does not parse', async () => {
    const dir = folderWith([
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  name: again\n',
        workload('web', 'shop'),
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  kind: ClusterRole\n  name: cluster-admin\n  apiGroup: rbac.authorization.k8s.io\nsubjects:\n- kind: User\n  name: u\n',
        workload('api', 'shop'),
      ].join('---\n'),
      `${workload('worker', 'jobs')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n`,
    ])
    const { buffered, streamed } = await bothReports(dir)
    expect(streamed).toBe(buffered)
    // The cross-resource findings are there, on the workload and the binding after the broken document.
    expect(buffered).toContain('require-default-deny-network-policy')
    expect(buffered).toContain('disallow-cluster-admin-bindings')
  })

  it('gives the buffered report for folders of generated files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(headerFileOf, { minLength: 1, maxLength: 3 }), async (files) => {
        const { buffered, streamed } = await bothReports(folderWith(files))
        expect(streamed).toBe(buffered)
      }),
      { numRuns: 25 },
    )
  })
})
