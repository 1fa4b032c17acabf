/**
 * OPA's own Rego compliance cases (../shared/corpus/opa-compliance) run on Palisade's Rego
 * engine: each case's modules compiled, its query evaluated with its input and data, and
 * the bindings (or the error) compared with what OPA expects.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import {
  parseModule,
  parseQuery,
  RegoError,
  RegoProgram,
  RegoSyntaxError,
  toJson,
  fromJs,
  type Value,
} from '../../src/rego/index.js'
import { withBudget } from '../../src/engine/index.js'

export interface ComplianceCase {
  folder: string
  file: string
  note: string
  agrees: boolean
  /** Why it disagrees (expected vs got). */
  detail?: string
}

interface RawCase {
  note: string
  query: string
  modules?: string[]
  data?: unknown
  input?: unknown
  input_term?: string
  want_result?: Record<string, unknown>[]
  want_error?: string
  want_error_code?: string
  strict_error?: boolean
  sort_bindings?: boolean
}

const canonical = (v: unknown): string => JSON.stringify(sortKeys(v))
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    )
  if (typeof v === 'number') return Number(v)
  return v
}

function errorCode(e: unknown): string {
  if (e instanceof RegoSyntaxError) return 'rego_parse_error'
  if (e instanceof RegoError) return e.code
  return 'internal'
}

const LIMITS = { cost: 10_000_000, timeoutMs: 5_000, clock: () => performance.now() }

/** Run one case: the outcome as rows of JSON bindings, or the error. */
function runCase(c: RawCase): { rows: unknown[] } | { error: unknown } {
  try {
    const modules = (c.modules ?? []).map((src, i) => ({ file: `module${i}.rego`, module: parseModule(src) }))
    const program = new RegoProgram(modules)
    let input: Value | undefined = c.input === undefined ? undefined : fromJs(c.input)
    if (c.input_term !== undefined) {
      const q = program.query(parseQuery(`__input__ = ${c.input_term}`))
      input = q.run(undefined, {})[0]?.__input__
    }
    const q = program.query(parseQuery(c.query))
    const rows = withBudget(LIMITS, () => q.run(input, fromJs(c.data ?? {}), c.strict_error === true))
    return { rows: rows.map((r) => toJson(r as Value)) }
  } catch (error) {
    if (error instanceof RangeError) return { error: new RegoError('rego_recursion_error', error.message) }
    return { error }
  }
}

/** Compare one case's outcome with what OPA expects. */
export function judge(c: RawCase): { agrees: boolean; detail?: string } {
  const got = runCase(c)
  const wantsError = c.want_error !== undefined || c.want_error_code !== undefined
  if (wantsError) {
    if (!('error' in got))
      return {
        agrees: false,
        detail: `expected error ${c.want_error_code ?? ''} ${c.want_error ?? ''}, got ${JSON.stringify(got.rows)}`,
      }
    const code = errorCode(got.error)
    if (c.want_error_code !== undefined && code !== c.want_error_code)
      return { agrees: false, detail: `expected ${c.want_error_code}, got ${code}: ${(got.error as Error).message}` }
    return { agrees: true }
  }
  if ('error' in got)
    return { agrees: false, detail: `unexpected error ${errorCode(got.error)}: ${(got.error as Error).message}` }
  const want = (c.want_result ?? []).map(canonical).sort()
  const have = got.rows.map(canonical).sort()
  if (want.length === have.length && want.every((w, i) => w === have[i])) return { agrees: true }
  return { agrees: false, detail: `expected ${want.join(' ')}; got ${have.join(' ')}` }
}

/** Every case of every file under `dir` (cases/<folder>/<file>.yaml). */
export function runCompliance(dir: string, only?: string): ComplianceCase[] {
  const out: ComplianceCase[] = []
  const casesDir = path.join(dir, 'cases')
  for (const folder of readdirSync(casesDir).sort()) {
    if (only !== undefined && folder !== only) continue
    for (const file of readdirSync(path.join(casesDir, folder)).sort()) {
      if (!file.endsWith('.yaml')) continue
      const docs = YAML.parseAllDocuments(readFileSync(path.join(casesDir, folder, file), 'utf8'))
      for (const doc of docs) {
        const body = doc.toJS() as { cases?: RawCase[] } | null
        for (const c of body?.cases ?? []) out.push({ folder, file, note: c.note, ...judge(c) })
      }
    }
  }
  return out
}
