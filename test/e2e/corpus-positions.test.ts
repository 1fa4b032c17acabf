import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isMap, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml'
import { corpusPath, hasCorpus } from '../../src/testing/corpus.js'
import { ROOT, runCli } from './run-cli.js'

interface JsonFinding {
  policy: string
  path: string
  file: string | null
  line: number | null
  column: number | null
  resource: { apiVersion: string; kind: string; namespace?: string | null; name: string }
}

/**
 * Independent check of positions through the whole CLI: for every finding of a scan of the
 * real repositories, find the same resource with the `yaml` package and the deepest
 * existing node along the finding's path; its start (the key for a map entry, the item for
 * a list item) must be the finding's line and column.
 */
describe.skipIf(!hasCorpus())('palisade scan ../shared/corpus/repos', () => {
  let run: ReturnType<typeof runCli>
  let output: { findings: JsonFinding[]; errors: { file: string; line: number; message: string }[] }
  beforeAll(() => {
    // Plain files only: objects rendered from charts and overlays point into templates, values
    // and patches, which src/gitops and src/cli/scan-gitops.test.ts check on these repositories.
    run = runCli(['scan', corpusPath('repos'), '--format', 'json', '--no-render'])
    output = JSON.parse(run.stdout) as typeof output
  })

  it('completes with exit 0 or 1 and no crash', () => {
    expect(run.stderr).not.toMatch(/internal error/)
    expect([0, 1]).toContain(run.code)
    expect(output.findings.length).toBeGreaterThan(20)
  })

  it('points every finding at the field it names', () => {
    const mismatches: string[] = []
    for (const f of output.findings) {
      expect(f.file, `${f.policy} ${f.path} has no file`).not.toBeNull()
      const at = positionOf(f)
      if (at.line !== f.line || at.column !== f.column)
        mismatches.push(`${f.file}:${f.line}:${f.column} ${f.policy} ${f.path} expected ${at.line}:${at.column}`)
    }
    expect(mismatches).toEqual([])
  })
})

function positionOf(f: JsonFinding): { line: number; column: number } {
  const text = readFileSync(resolve(ROOT, f.file as string), 'utf8')
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, { lineCounter, version: '1.1', merge: true, uniqueKeys: false })
  for (const doc of docs) {
    const root = doc.contents as Node | null
    const candidates: { node: Node; prefix: string[] }[] = []
    if (isMap(root)) {
      const items = root.get('items')
      if (isSeq(items) && String(root.get('kind') ?? '').endsWith('List'))
        items.items.forEach((item, i) => candidates.push({ node: item as Node, prefix: ['items', String(i)] }))
      else candidates.push({ node: root, prefix: [] })
    }
    for (const { node } of candidates) {
      if (!isMap(node)) continue
      const meta = node.get('metadata')
      const name = isMap(meta) ? String(meta.get('name') ?? meta.get('generateName') ?? '') : ''
      const ns = isMap(meta) ? (meta.get('namespace') as string | undefined) : undefined
      if (
        node.get('kind') !== f.resource.kind ||
        name !== f.resource.name ||
        (ns ?? null) !== (f.resource.namespace ?? null)
      )
        continue
      const offset = deepest(node, f.path)
      const pos = lineCounter.linePos(offset)
      return { line: pos.line, column: pos.col }
    }
  }
  throw new Error(`resource ${f.resource.kind}/${f.resource.name} not found in ${f.file}`)
}

/** Start offset of the deepest existing node along a JSON Pointer: a map entry's key, a list's item. */
function deepest(root: Node, pointer: string): number {
  let node: Node = root
  let start = (root.range as [number, number, number])[0]
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value) === token)
      if (!pair) break
      start = ((pair.key as Node).range as [number, number, number])[0]
      node = pair.value as Node
    } else if (isSeq(node)) {
      const item = node.items[Number(token)] as Node | undefined
      if (!item) break
      start = (item.range as [number, number, number])[0]
      node = item
    } else break
    if (!node) break
  }
  return start
}
