/**
 * The Gatekeeper library's gator suites run on Palisade (see gatekeeper.ts): one result per
 * case and engine. Cases whose files are not in the corpus (held back) are counted apart.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import type { KubeObject } from '../../src/core/index.js'
import { runSuite, type SuiteRow } from '../../src/compat/gatekeeper/suite.js'

const LIMITS = { cost: 10_000_000, timeoutMs: 2_000, clock: () => performance.now() }

function suites(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name)
    if (statSync(p).isDirectory()) out.push(...suites(p))
    else if (name === 'suite.yaml') out.push(p)
  }
  return out
}

export interface CaseResult {
  template: string
  engine: SuiteRow['engine']
  test: string
  name: string
  agrees: boolean
  reasons: string[]
}

/** Run every suite.yaml below `root`/library. */
export function runGatekeeperConformance(root: string): {
  results: CaseResult[]
  heldBack: number
  problems: string[]
} {
  const readDocs = (file: string): KubeObject[] | string => {
    if (!existsSync(file)) return `${path.relative(root, file)} is not in the corpus (held back)`
    return YAML.parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJS() as KubeObject)
      .filter((o) => o !== null && typeof o === 'object')
  }
  const results: CaseResult[] = []
  const allProblems: string[] = []
  let heldBack = 0
  for (const file of suites(path.join(root, 'library'))) {
    const dir = path.dirname(file)
    const suite = YAML.parse(readFileSync(file, 'utf8')) as KubeObject
    const template = path.relative(path.join(root, 'library'), dir)
    const { rows, problems } = runSuite(
      template,
      suite,
      (ref) => {
        const docs = readDocs(path.resolve(dir, ref))
        if (typeof docs === 'string') heldBack++
        return docs
      },
      { limits: LIMITS },
    )
    allProblems.push(...problems.filter((p) => !p.includes('held back')))
    const byCase = new Map<string, CaseResult>()
    for (const r of rows) {
      const key = `${r.engine}\u0000${r.test}\u0000${r.rule}`
      const c = byCase.get(key) ?? { template, engine: r.engine, test: r.test, name: r.rule, agrees: true, reasons: [] }
      if (r.outcome !== 'met') {
        c.agrees = false
        c.reasons.push(r.reason ?? '')
      }
      byCase.set(key, c)
    }
    results.push(...byCase.values())
  }
  return { results, heldBack, problems: allProblems }
}
