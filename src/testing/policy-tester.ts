import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it, describe } from 'vitest'
import type { LocatedResource } from '../core/index.js'
import { createResolver, defaultConfig } from '../config/index.js'
import { applyFixOperations, compilePolicy, indexPolicies, problemsAdded, type PolicySpec } from '../engine/index.js'
import { checkResources, resourcesOf } from '../pipeline/index.js'
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
  findings: {
    messageId: string
    path: string
    line: number
    column: number
    status: 'fail' | 'error'
    message: string
    fixable: boolean
  }[]
  fixed: string | null
}

/** How to run a case: policy parameters, and the environment every resource is in. */
export interface RunOptions {
  params?: Record<string, unknown>
  environment?: string
}

/**
 * Run one policy over a YAML text exactly as a scan does: the real YAML layer, then
 * `pipeline.checkResources` (each resource with the Namespace object of its namespace when
 * the text declares it, cross-resource policies over every resource of the text, findings
 * placed and sorted by position). Each resource is given its own file name (its index), so
 * every finding leads back to the resource whose YAML document its fix patches.
 */
export function runPolicy(policy: PolicySpec, yaml: string, options: RunOptions = {}): PolicyRun {
  const compiled = compilePolicy(policy, options.params ? { params: options.params } : {})
  if (!compiled.policy)
    throw new Error(`policy ${policy.id} does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`)
  const { resources, diagnostics } = resourcesOf({ path: 'case.yaml', text: yaml })
  if (diagnostics.length > 0) throw new Error(`case YAML has problems: ${diagnostics.map((d) => d.message).join('; ')}`)
  const key = (i: number): string => String(i).padStart(6, '0')
  const keyed = resources.map((r, i): LocatedResource => ({
    ...r,
    file: key(i),
    locate: (pointer) => ({ ...r.locate(pointer), file: key(i) }),
  }))
  const result = checkResources(keyed, [], [], {
    policies: indexPolicies([compiled.policy]),
    resolver: createResolver(defaultConfig('.'), new Date(0)),
    ...(options.environment === undefined ? {} : { environment: options.environment }),
  })
  const findings: PolicyRun['findings'] = []
  let fixed = yaml
  let anyFix = false
  for (const f of result.findings) {
    const resource = resources[Number(f.span?.file)] as LocatedResource
    const span = f.span ?? resource.locate(f.path)
    // A fix the API server would reject for this resource is not offered (engine/fix.ts checks safe ones; this, every one).
    const fix =
      f.fix?.invalid ||
      (f.fix && problemsAdded(resource.object, applyFixOperations(resource.object, f.fix.patch)).length > 0)
        ? undefined
        : f.fix
    findings.push({
      messageId: f.messageId,
      path: f.path,
      line: span.start.line,
      column: span.start.column,
      status: f.status,
      message: f.message,
      fixable: fix !== undefined,
    })
    if (fix) {
      anyFix = true
      fixed = applyPatch(
        fixed,
        resource.document,
        fix.patch.map((op) => ({ ...op, path: resource.prefix + op.path })),
      )
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
  const run = (policy: PolicySpec, table: { valid: Case[]; invalid: InvalidCase[] } & RunOptions): void => {
    const options: RunOptions = {
      ...(table.params ? { params: table.params } : {}),
      ...(table.environment === undefined ? {} : { environment: table.environment }),
    }
    describe(policy.id, () => {
      for (const c of table.valid) {
        it(`valid: ${c.name}`, () => {
          expect(runPolicy(policy, c.yaml, options).findings).toEqual([])
        })
      }
      for (const c of table.invalid) {
        it(`invalid: ${c.name}`, () => {
          const result = runPolicy(policy, c.yaml, options)
          const actual = result.findings.map((f, i) => pick(f, c.errors[i]))
          expect(actual).toEqual(c.errors.map((e) => ({ status: 'fail', ...e })))
          if (c.output !== undefined) expect(result.fixed).toEqual(c.output)
          if (result.fixed !== null) {
            const again = runPolicy(policy, result.fixed, options)
            const fixedRules = new Set(result.findings.filter((f) => f.fixable).map((f) => f.messageId))
            const remaining = again.findings.filter((f) => fixedRules.has(f.messageId))
            expect(remaining, 'fix must make the fixed rules pass').toEqual([])
            if (again.fixed !== null) expect(again.fixed, 'fix must be idempotent').toEqual(result.fixed)
          }
        })
      }
    })
  }
  return { fixture, run }
}

function pick(actual: PolicyRun['findings'][number], expected: ExpectedError | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { messageId: actual.messageId, status: actual.status }
  if (expected?.path !== undefined) out.path = actual.path
  if (expected?.line !== undefined) out.line = actual.line
  if (expected?.column !== undefined) out.column = actual.column
  return out
}
