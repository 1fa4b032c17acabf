import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it, describe } from 'vitest'
import { compilePolicy, evaluate, indexPolicies, type PolicySpec } from '../engine/index.js'
import { resourcesOf } from '../pipeline/index.js'
import { applyPatch } from '../yaml/index.js'

/** One expected finding of an invalid case. Omitted fields are not checked. */
export interface ExpectedError {
  messageId: string
  path?: string
  line?: number
  column?: number
  status?: 'fail' | 'error'
}

/** A case: a file name (under ./fixtures) or inline YAML. */
export interface Case {
  name: string
  yaml: string
}

/** An invalid case with the exact findings it must give, and the fixed text (null: no fix offered). */
export interface InvalidCase extends Case {
  errors: ExpectedError[]
  output?: string | null
}

/** What a policy yields for a YAML text: each finding with its position, and fixes. */
export interface PolicyRun {
  findings: { messageId: string; path: string; line: number; column: number; status: 'fail' | 'error'; message: string }[]
  fixed: string | null
}

/** Run one policy over a YAML text through the real YAML layer and engine. */
export function runPolicy(policy: PolicySpec, yaml: string, params?: Record<string, unknown>): PolicyRun {
  const compiled = compilePolicy(policy, params ? { params } : {})
  if (!compiled.policy) throw new Error(`policy ${policy.id} does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`)
  const set = indexPolicies([compiled.policy])
  const { resources, diagnostics } = resourcesOf({ path: 'case.yaml', text: yaml })
  if (diagnostics.length > 0) throw new Error(`case YAML has problems: ${diagnostics.map((d) => d.message).join('; ')}`)
  const findings: PolicyRun['findings'] = []
  let fixed = yaml
  let anyFix = false
  for (const resource of resources) {
    for (const { outcome } of evaluate(set, resource.object)) {
      for (const v of outcome.violations) {
        const span = resource.locate(v.path)
        findings.push({ messageId: v.messageId, path: v.path, line: span.start.line, column: span.start.column, status: v.status, message: v.message })
        if (v.fix) {
          anyFix = true
          fixed = applyPatch(fixed, resource.document, v.fix.patch.map((op) => ({ ...op, path: resource.prefix + op.path })))
        }
      }
    }
  }
  return { findings, fixed: anyFix ? fixed : null }
}

/**
 * A RuleTester-style table for one policy: valid cases must give no finding; invalid
 * cases must give exactly the listed findings (no extras), and their fix must match
 * `output`, re-evaluate to no finding of the fixed rules, and be idempotent.
 *
 * @example
 * const t = policyTester(import.meta.url)
 * t.run(policy, { valid: [t.fixture('valid-pod.yaml')], invalid: [{ ...t.fixture('invalid-pod.yaml'), errors: [...] }] })
 */
export function policyTester(testFileUrl: string) {
  const dir = dirname(fileURLToPath(testFileUrl))
  const fixture = (name: string): Case => ({ name, yaml: readFileSync(join(dir, 'fixtures', name), 'utf8') })
  const run = (policy: PolicySpec, table: { valid: Case[]; invalid: InvalidCase[]; params?: Record<string, unknown> }): void => {
    describe(policy.id, () => {
      for (const c of table.valid) {
        it(`valid: ${c.name}`, () => {
          expect(runPolicy(policy, c.yaml, table.params).findings).toEqual([])
        })
      }
      for (const c of table.invalid) {
        it(`invalid: ${c.name}`, () => {
          const result = runPolicy(policy, c.yaml, table.params)
          const actual = result.findings.map((f, i) => pick(f, c.errors[i]))
          expect(actual).toEqual(c.errors.map((e) => ({ status: 'fail', ...e })))
          if (c.output !== undefined) expect(result.fixed).toEqual(c.output)
          if (result.fixed !== null) {
            const again = runPolicy(policy, result.fixed, table.params)
            const fixedRules = new Set(result.findings.map((f) => f.messageId))
            const remaining = again.findings.filter((f) => fixedRules.has(f.messageId) && findingHadFix(policy, f.messageId))
            expect(remaining, 'fix must make the fixed rules pass').toEqual([])
            if (again.fixed !== null) expect(again.fixed, 'fix must be idempotent').toEqual(result.fixed)
          }
        })
      }
    })
  }
  return { fixture, run }
}

function findingHadFix(policy: PolicySpec, messageId: string): boolean {
  return (policy.rules ?? []).some((r) => r.messageId === messageId && r.fix !== undefined)
}

function pick(actual: PolicyRun['findings'][number], expected: ExpectedError | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { messageId: actual.messageId, status: actual.status }
  if (expected?.path !== undefined) out.path = actual.path
  if (expected?.line !== undefined) out.line = actual.line
  if (expected?.column !== undefined) out.column = actual.column
  return out
}
