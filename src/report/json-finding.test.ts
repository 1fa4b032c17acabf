import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ControlRef, Finding, ResourceRef } from '../core/index.js'
import { controlsByFramework } from './controls.js'
import { jsonFindingsText } from './index.js'

/*
 * jsonFindingsText prints the common finding (with or without a fix) from pieces and caches
 * what repeats (a resource's reference, a policy's strings, the file): its text must stay the
 * bytes JSON.stringify gives for the contract object, nested in the findings array, for any
 * finding, with references shared between findings or not.
 */

/** The DESIGN.md contract object of a finding without waiver, baseline, owners, commit or renders. */
function contract(f: Finding): Record<string, unknown> {
  return {
    policy: f.policyId,
    severity: f.severity,
    message: f.message,
    action: f.action,
    status: f.status,
    resource: {
      apiVersion: f.resource.apiVersion,
      kind: f.resource.kind,
      namespace: f.resource.namespace ?? null,
      name: f.resource.name,
    },
    path: f.path,
    file: f.span?.file ?? null,
    line: f.span?.start.line ?? null,
    column: f.span?.start.column ?? null,
    environment: f.environment ?? null,
    fingerprint: f.fingerprint,
    controls: controlsByFramework(f.controls),
    messageId: f.messageId,
    category: f.category,
    ...(f.fix
      ? {
          fix: {
            safety: f.fix.safety,
            patch: f.fix.patch.map((op) => ({
              op: op.op,
              path: op.path,
              ...(op.value === undefined ? {} : { value: op.value }),
            })),
          },
        }
      : {}),
  }
}

const expected = (findings: Finding[]): string =>
  findings.map((f) => `    ${JSON.stringify(contract(f), null, 2).replaceAll('\n', '\n    ')}`).join(',\n')

const text = fc.string({ unit: 'grapheme', maxLength: 12 })
/** A message or path: plain, or with what JSON escapes (quotes, backslashes, control characters, lone surrogates). */
const escapable = fc.oneof(
  text,
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('"q"', 'a\\b', 'x\ty', '\ud800', '\udc00z'),
)
/** A line or column: small (printed from a table), beyond the table, or no whole number at all. */
const position = fc.oneof(fc.nat(), fc.integer({ min: 16_380, max: 100_000 }), fc.constantFrom(-1, 1.5, Number.NaN))
const ref = fc.record(
  {
    apiVersion: fc.constantFrom('v1', 'apps/v1'),
    kind: fc.constantFrom('Pod', 'Deployment', 'Ingress'),
    namespace: text,
    name: text,
  },
  { requiredKeys: ['apiVersion', 'kind'] },
) as fc.Arbitrary<ResourceRef>
const controls: fc.Arbitrary<ControlRef[]> = fc.array(
  fc.record({ framework: fc.constantFrom('cis', 'nsa', 'nist'), control: fc.constantFrom('5.1.6', 'AC-6', 'x') }),
  { maxLength: 3 },
) as fc.Arbitrary<ControlRef[]>
const fix = fc.record({
  safety: fc.constantFrom('safe', 'unsafe'),
  patch: fc.array(
    fc.record(
      { op: fc.constantFrom('add', 'remove', 'replace'), path: text, value: fc.jsonValue() },
      {
        requiredKeys: ['op', 'path'],
      },
    ),
    { maxLength: 3 },
  ),
})

/** Findings drawn from a few shared references and controls lists, as a scan's findings share them. */
const findings: fc.Arbitrary<Finding[]> = fc
  .tuple(fc.array(ref, { minLength: 1, maxLength: 3 }), fc.array(controls, { minLength: 1, maxLength: 2 }))
  .chain(([refs, lists]) =>
    fc.array(
      fc.record(
        {
          policyId: fc.constantFrom('require-limits', 'no-"quotes"', 'ünïcode'),
          severity: fc.constantFrom('high', 'low'),
          message: escapable,
          messageId: fc.constantFrom('missing', 'implicit'),
          status: fc.constantFrom('fail', 'error'),
          path: escapable,
          stablePath: text,
          resource: fc.constantFrom(...refs),
          span: fc.record({
            file: fc.constantFrom('a.yaml', 'dir/"b".yaml'),
            start: fc.record({ line: position, column: position, offset: fc.nat() }),
            end: fc.record({ line: fc.nat(), column: fc.nat(), offset: fc.nat() }),
          }),
          controls: fc.constantFrom(...lists),
          category: fc.constantFrom('workload', 'network'),
          action: fc.constantFrom('deny', 'warn', 'audit'),
          environment: fc.constantFrom('prod', 'dev'),
          fingerprint: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), escapable),
          fix,
        },
        {
          requiredKeys: [
            'policyId',
            'severity',
            'message',
            'messageId',
            'status',
            'path',
            'resource',
            'controls',
            'category',
            'action',
            'fingerprint',
          ],
        },
      ) as fc.Arbitrary<Finding>,
      { maxLength: 8 },
    ),
  )

describe('jsonFindingsText', () => {
  it('prints any finding with or without a fix as JSON.stringify prints its contract object', () => {
    fc.assert(
      fc.property(findings, (list) => {
        expect(jsonFindingsText(list)).toBe(expected(list))
        // Twice: what it remembered from the first call prints the same.
        expect(jsonFindingsText(list)).toBe(expected(list))
      }),
      { numRuns: 500 },
    )
  })

  it('prints a call of more pieces than it keeps between calls, then smaller calls, each only its own findings', () => {
    const sample = fc.sample(
      findings.filter((l) => l.length > 0),
      { numRuns: 60, seed: 7 },
    )
    const many = Array.from({ length: 12 }, () => sample.flat()).flat()
    for (const list of [many, sample[0]!, many.slice(0, 900), sample[1]!, many])
      expect(jsonFindingsText(list)).toBe(expected(list))
  })
})
