import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import type { CheckResult } from '../core/index.js'
import { emptyResult, fixtureResult, FIXTURE_VERSION } from './fixture-result.test-support.js'
import { formatJson, formatJsonChunks } from './index.js'

const schema = JSON.parse(
  readFileSync(new URL('../../docs/schemas/scan-output.schema.json', import.meta.url), 'utf8'),
) as object
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema)
const render = (result: CheckResult, failOn?: 'high'): Record<string, unknown> =>
  JSON.parse(
    formatJson(result, { color: false, toolVersion: FIXTURE_VERSION, ...(failOn ? { failOn } : {}) }),
  ) as Record<string, unknown>
const findingsOf = (output: Record<string, unknown>): Record<string, unknown>[] =>
  output.findings as Record<string, unknown>[]

describe('formatJson', () => {
  it('validates against docs/schemas/scan-output.schema.json', () => {
    for (const result of [fixtureResult(), fixtureResult({ withChecks: true }), emptyResult()]) {
      expect(validate(render(result)), JSON.stringify(validate.errors, null, 2)).toBe(true)
    }
  })

  it('has a schema that rejects a missing key', () => {
    const output = render(fixtureResult())
    delete findingsOf(output)[0]?.environment
    expect(validate(output)).toBe(false)
  })

  it('keeps every key, with null for what does not apply', () => {
    const fileless = findingsOf(render(fixtureResult())).find((f) => f.policy === 'disallow-host-path-volumes')
    expect(fileless).toMatchObject({
      file: null,
      line: null,
      column: null,
      path: '/spec/volumes/0/hostPath',
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: 'debug' },
    })
    expect(fileless).not.toHaveProperty('waiver')
    const noEnv = findingsOf(render(fixtureResult())).find((f) => f.file === 'apps/café team/web.yaml')
    expect(noEnv?.environment).toBeNull()
    const errors = render(fixtureResult()).errors as Record<string, unknown>[]
    expect(errors[0]).toEqual({
      file: null,
      line: null,
      column: null,
      message: expect.any(String),
      code: 'RENDER_FAILED',
      severity: 'error',
      hint: expect.any(String),
    })
  })

  it('sorts findings by file, line, column and policy, findings without a file last', () => {
    const keys = findingsOf(render(fixtureResult())).map((f) => [f.file, f.line, f.column])
    expect(keys).toEqual([
      ['apps/café team/web.yaml', 9, 14],
      ['clusters/dev/cni.yaml', 13, 30],
      ['clusters/prod/api.yaml', 10, 11],
      ['clusters/prod/api.yaml', 11, 11],
      ['clusters/prod/api.yaml', 13, 13],
      ['clusters/prod/cron.yaml', 14, 15],
      ['clusters/staging/worker.yaml', 9, 7],
      ['clusters/staging/worker.yaml', 12, 11],
      [null, null, null],
    ])
  })

  it('groups controls by framework and keeps waivers and fixes', () => {
    const privileged = findingsOf(render(fixtureResult())).filter((f) => f.policy === 'disallow-privileged-containers')
    expect(privileged.map((f) => f.controls)).toEqual([
      { cis: ['5.2.2'], nist: ['AC-6'], pss: ['baseline/privileged'] },
      { cis: ['5.2.2'], nist: ['AC-6'], pss: ['baseline/privileged'] },
    ])
    expect(privileged[0]?.waiver).toEqual({
      source: 'annotation',
      reason: 'The CNI programs the node network.',
      owner: null,
      expires: null,
    })
    expect(privileged[1]?.fix).toEqual({
      safety: 'safe',
      patch: [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/privileged', value: false }],
    })
  })

  it('says whether the run blocks, honouring fail-on', () => {
    expect((render(fixtureResult()).summary as Record<string, unknown>).blocking).toBe(true)
    expect((render(emptyResult()).summary as Record<string, unknown>).blocking).toBe(false)
    const onlyMediumDenied: CheckResult = {
      ...fixtureResult(),
      diagnostics: [],
      findings: fixtureResult().findings.filter((f) => f.severity === 'medium'),
    }
    expect((render(onlyMediumDenied).summary as Record<string, unknown>).blocking).toBe(true)
    expect((render(onlyMediumDenied, 'high').summary as Record<string, unknown>).blocking).toBe(false)
  })

  it('counts the findings and the errors that block; errors block unless palisade.yaml says errors: report', () => {
    expect(render(fixtureResult()).summary).toEqual(
      expect.objectContaining({ errors: 2, blocking: true, blockingFindings: 4, blockingErrors: 3 }),
    )
    const onlyErrors: CheckResult = { ...fixtureResult(), findings: [] }
    expect(render(onlyErrors).summary).toEqual(
      expect.objectContaining({ blocking: true, blockingFindings: 0, blockingErrors: 2 }),
    )
    const reported = JSON.parse(
      formatJson(onlyErrors, { color: false, toolVersion: FIXTURE_VERSION, errors: 'report' }),
    ) as { summary: unknown }
    expect(reported.summary).toEqual(expect.objectContaining({ errors: 2, blocking: false, blockingErrors: 0 }))
  })

  it('comes in pieces that join to exactly JSON.stringify(report, null, 2), over several chunks of findings and with extra fields', () => {
    const base = fixtureResult()
    // 1,234 findings: more than two chunks of 500, with fixed findings and extra top-level fields too.
    const many = Array.from({ length: 1234 }, (_, i) => ({
      ...base.findings[i % base.findings.length]!,
      message: `finding ${i} with "quotes" and a line\nbreak`,
    }))
    const result: CheckResult = { ...base, findings: many, fixed: many.slice(0, 3) }
    const options = {
      color: false,
      toolVersion: FIXTURE_VERSION,
      jsonExtra: { sources: [{ kind: 'helm-chart', name: 'web' }], schema: undefined },
    }
    const chunks = [...formatJsonChunks(result, options)]
    expect(chunks.length).toBeGreaterThan(4)
    const text = chunks.join('')
    expect(text).toBe(formatJson(result, options))
    const parsed = JSON.parse(text) as Record<string, unknown>
    expect(`${JSON.stringify(parsed, null, 2)}\n`).toBe(text)
    expect(Object.keys(parsed)).toEqual(['tool', 'summary', 'findings', 'errors', 'fixed', 'sources'])
    expect((parsed.findings as unknown[]).length).toBe(1234)
    const empty = [...formatJsonChunks(emptyResult(), { color: false, toolVersion: FIXTURE_VERSION })].join('')
    expect(`${JSON.stringify(JSON.parse(empty), null, 2)}\n`).toBe(empty)
  })

  it('prints every optional field of a finding in the contract order, as JSON.stringify would', () => {
    const base = fixtureResult()
    const first = base.findings.find((f) => f.fix && f.waiver) ?? {
      ...base.findings[0]!,
      fix: { safety: 'safe' as const, patch: [{ op: 'remove' as const, path: '/spec/x' }] },
      waiver: { source: 'config' as const, reason: 'r' },
    }
    const full = {
      ...first,
      resource: { apiVersion: 'v1', kind: 'Pod', name: 'p' },
      environment: 'prod',
      baseline: 'new' as const,
      owners: ['@team/a', '@team/b'],
      commit: { id: 'abc123', author: 'A <a@example.com>', paths: ['x.yaml'], signer: 'key' },
      renders: [
        {
          application: 'kustomization overlays/prod',
          environment: 'prod',
          action: 'deny' as const,
          waived: true as const,
        },
        { application: 'helm-chart web', action: 'warn' as const },
      ],
    }
    const text = formatJson({ ...base, findings: [full] }, { color: false, toolVersion: FIXTURE_VERSION })
    expect(`${JSON.stringify(JSON.parse(text), null, 2)}\n`).toBe(text)
    const [printed] = findingsOf(JSON.parse(text) as Record<string, unknown>)
    expect(Object.keys(printed ?? {})).toEqual([
      'policy',
      'severity',
      'message',
      'action',
      'status',
      'resource',
      'path',
      'file',
      'line',
      'column',
      'environment',
      'fingerprint',
      'controls',
      'messageId',
      'category',
      'waiver',
      'fix',
      'baseline',
      'owners',
      'commit',
      'author',
      'paths',
      'signer',
      'renders',
    ])
    expect(printed).toMatchObject({
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: null, name: 'p' },
      environment: 'prod',
      baseline: 'new',
      owners: ['@team/a', '@team/b'],
      commit: 'abc123',
      paths: ['x.yaml'],
      renders: [
        { application: 'kustomization overlays/prod', environment: 'prod', action: 'deny', waived: true },
        { application: 'helm-chart web', environment: null, action: 'warn' },
      ],
    })
  })
})
