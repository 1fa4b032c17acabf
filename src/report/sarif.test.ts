import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CheckResult, Finding } from '../core/index.js'
import { emptyResult, fixtureResult, FIXTURE_CWD, FIXTURE_VERSION } from './fixture-result.test-support.js'
import { formatSarif, formatSarifChunks } from './index.js'

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

interface SarifRule {
  id: string
  shortDescription: { text: string }
  fullDescription: { text: string }
  help: { text: string; markdown: string }
  properties: { tags: string[]; 'security-severity': string }
}
interface SarifLocation {
  physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> }
  logicalLocations?: { fullyQualifiedName: string }[]
}
interface SarifResult {
  ruleId: string
  ruleIndex: number
  level: string
  message: { text: string }
  locations: SarifLocation[]
  partialFingerprints: Record<string, string>
  suppressions?: { kind: string; justification: string }[]
  properties: Record<string, unknown>
}
interface SarifLog {
  runs: {
    tool: { driver: { rules: SarifRule[] } }
    invocations: {
      executionSuccessful: boolean
      toolExecutionNotifications?: { level: string; descriptor: { id: string }; locations?: SarifLocation[] }[]
    }[]
    results: SarifResult[]
  }[]
}

/**
 * The SARIF 2.1.0 schema as @microsoft/jest-sarif ships it (sarif-2.1.0-rtm.5, the schema
 * json.schemastore.org/sarif-2.1.0.json serves). It is written in draft-04, whose only
 * keyword here that draft-07 spells differently is `id`; ajv 8 reads draft-07.
 */
function sarifValidator(): ReturnType<Ajv['compile']> {
  const path = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')
  const {
    $schema: _draft04,
    id,
    ...schema
  } = JSON.parse(readFileSync(path, 'utf8')) as { $schema: string; id: string } & Record<string, unknown>
  // The schema's `language` pattern has a stray `]` that is a syntax error in a unicode RegExp.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false })
  addFormats(ajv)
  return ajv.compile({ ...schema, $id: id })
}

const options = { color: false, toolVersion: FIXTURE_VERSION, cwd: FIXTURE_CWD }
const parse = (result: CheckResult, opts = options): SarifLog => JSON.parse(formatSarif(result, opts)) as SarifLog
const resultsOf = (log: SarifLog): SarifResult[] => log.runs[0]?.results ?? []
const rulesOf = (log: SarifLog): SarifRule[] => log.runs[0]?.tool.driver.rules ?? []

function withFindings(findings: Finding[]): CheckResult {
  return { ...fixtureResult(), findings, diagnostics: [] }
}

describe('SARIF notifications for sources not scanned', () => {
  it('gives each source that was not scanned a notification, at its file when it has one', () => {
    const sarif = JSON.parse(
      formatSarif(emptyResult(), {
        color: false,
        toolVersion: FIXTURE_VERSION,
        cwd: FIXTURE_CWD,
        notScanned: [
          {
            name: 'Argo CD Application example.plugin-nix',
            file: 'apps/nix.yaml',
            status: 'unscanned',
            reason: 'config management plugin "nix"',
          },
          { name: 'Flux HelmRelease podinfo', status: 'unscanned', reason: 'chart repository not mirrored' },
        ],
      }),
    ) as {
      runs: {
        tool: { driver: { notifications?: { id: string }[] } }
        invocations: {
          toolExecutionNotifications?: {
            level: string
            message: { text: string }
            descriptor: { id: string; index: number }
            locations?: unknown[]
          }[]
        }[]
      }[]
    }
    const run = sarif.runs[0]
    const notes = run?.invocations[0]?.toolExecutionNotifications ?? []
    expect(notes.map((n) => [n.level, n.descriptor.id, n.message.text])).toEqual([
      [
        'warning',
        'SOURCE_NOT_SCANNED',
        'not scanned: Argo CD Application example.plugin-nix: config management plugin "nix"',
      ],
      ['warning', 'SOURCE_NOT_SCANNED', 'not scanned: Flux HelmRelease podinfo: chart repository not mirrored'],
    ])
    expect(run?.tool.driver.notifications?.[notes[0]?.descriptor.index ?? -1]?.id).toBe('SOURCE_NOT_SCANNED')
    expect(notes[0]?.locations).toHaveLength(1)
    expect(notes[1]?.locations).toBeUndefined()
  })
})

describe('formatSarif', () => {
  let validate: ReturnType<typeof sarifValidator>
  beforeAll(() => {
    validate = sarifValidator()
  })

  it('validates against the SARIF 2.1.0 schema', () => {
    for (const result of [fixtureResult(), emptyResult()]) {
      const log: unknown = JSON.parse(formatSarif(result, options))
      expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true)
    }
  })

  it('has a validator that rejects what is not SARIF', () => {
    const log = parse(fixtureResult()) as unknown as {
      runs: {
        results: { level: string; locations: { physicalLocation?: { artifactLocation: { uri: string } } }[] }[]
      }[]
    }
    const [result] = log.runs[0]?.results ?? []
    if (!result) throw new Error('fixture has results')
    result.level = 'fatal'
    expect(validate(log)).toBe(false)
    result.level = 'error'
    const physical = result.locations[0]?.physicalLocation
    if (physical) physical.artifactLocation.uri = 'a b\\c'
    expect(validate(log)).toBe(false)
  })

  it('is also valid without a cwd, with absolute and odd paths', () => {
    const [first] = fixtureResult().findings
    const at = (file: string): Finding => ({
      ...(first as Finding),
      span: { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
    })
    const result = withFindings([
      at('/elsewhere/a b#c%d.yaml'),
      at('C:\\repo\\k8s\\app.yaml'),
      at('<stdin>'),
      at('./x:y.yaml'),
      at('../up.yaml'),
    ])
    const log: unknown = JSON.parse(formatSarif(result, { color: false, toolVersion: 'dev build' }))
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true)
  })

  it('meets GitHub code scanning rules: one location, fingerprints, security-severity, non-empty texts', () => {
    const log = parse(fixtureResult())
    const rules = rulesOf(log)
    expect(rules.length).toBeGreaterThan(0)
    for (const rule of rules) {
      const score = Number(rule.properties['security-severity'])
      expect(score).toBeGreaterThan(0)
      expect(score).toBeLessThanOrEqual(10)
      expect(rule.properties.tags).toContain('security') // GitHub reads security-severity only on security rules
      for (const text of [rule.shortDescription.text, rule.fullDescription.text, rule.help.text, rule.help.markdown])
        expect(text.trim()).not.toBe('')
    }
    for (const r of resultsOf(log)) {
      expect(r.locations).toHaveLength(1)
      expect(Object.values(r.partialFingerprints)).not.toHaveLength(0)
      expect(r.message.text.trim()).not.toBe('')
      expect(rules[r.ruleIndex]?.id).toBe(r.ruleId)
      const physical = r.locations[0]?.physicalLocation
      if (physical) {
        expect(physical.artifactLocation.uri).not.toBe('')
        for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn'])
          expect(physical.region[key]).toBeGreaterThan(0)
      }
    }
  })

  it('maps severities to security-severity scores and actions to levels', () => {
    const log = parse(fixtureResult())
    const score = Object.fromEntries(rulesOf(log).map((r) => [r.id, r.properties['security-severity']]))
    expect(score).toMatchObject({
      'disallow-privileged-containers': '9.5',
      'require-run-as-non-root': '8.0',
      'disallow-latest-image-tag': '5.5',
      'require-resource-requests': '3.0',
      'info-image-registry': '1.0',
    })
    const level = (policy: string, action: string): string | undefined =>
      resultsOf(log).find((r) => r.ruleId === policy && r.properties.action === action)?.level
    expect([
      level('require-run-as-non-root', 'deny'),
      level('disallow-latest-image-tag', 'warn'),
      level('info-image-registry', 'audit'),
    ]).toEqual(['error', 'warning', 'note'])
  })

  it('has rules only for policies with results, with controls in tags and help', () => {
    const rules = rulesOf(parse(fixtureResult()))
    expect(rules.map((r) => r.id)).not.toContain('restrict-added-capabilities')
    const privileged = rules.find((r) => r.id === 'disallow-privileged-containers')
    expect(privileged?.properties.tags).toEqual(
      expect.arrayContaining(['pod-security', 'pss/baseline/privileged', 'cis/5.2.2', 'nist/AC-6']),
    )
    expect(privileged?.help.markdown).toContain('CIS Kubernetes Benchmark 5.2.2')
  })

  it("uses the finding's fingerprint, which does not change when lines move", () => {
    const result = fixtureResult()
    const moved = withFindings(
      result.findings.map((f) =>
        f.span
          ? {
              ...f,
              span: {
                ...f.span,
                start: { ...f.span.start, line: f.span.start.line + 40 },
                end: { ...f.span.end, line: f.span.end.line + 40 },
              },
            }
          : f,
      ),
    )
    const prints = (log: SarifLog): string[] =>
      resultsOf(log)
        .map((r) => r.partialFingerprints['palisadeFingerprint/v1'] ?? '')
        .sort()
    expect(prints(parse(moved))).toEqual(prints(parse(result)))
    expect(prints(parse(result))).toEqual(result.findings.map((f) => f.fingerprint).sort())
  })

  it('turns waivers into suppressions: configuration external, annotations in source', () => {
    const suppressed = resultsOf(parse(fixtureResult())).filter((r) => r.suppressions)
    expect(suppressed.map((r) => r.suppressions?.[0])).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'The CNI programs the node network.' },
      {
        kind: 'external',
        status: 'accepted',
        justification: 'The profiler needs to see every process. (perf@example.com, until 2027-06-30)',
      },
    ])
  })

  it('gives a finding without a file a logical location of its resource', () => {
    const fileless = resultsOf(parse(fixtureResult())).find((r) => r.ruleId === 'disallow-host-path-volumes')
    expect(fileless?.locations).toEqual([
      { logicalLocations: [{ name: 'debug', fullyQualifiedName: 'Pod/team-a/debug', kind: 'resource' }] },
    ])
  })

  it('makes paths relative to %SRCROOT%, percent-encoded, and absolute ones outside the root file URIs', () => {
    const [first] = fixtureResult().findings
    const at = (file: string): Finding => ({
      ...(first as Finding),
      span: { file, start: { line: 2, column: 3, offset: 0 }, end: { line: 2, column: 3, offset: 0 } },
    })
    const uris = (cwd?: string): unknown[] =>
      resultsOf(
        parse(
          withFindings([
            at(`${FIXTURE_CWD}/k8s/app.yaml`),
            at('apps/café team/web.yaml'),
            at('/etc/k8s/x.yaml'),
            at('C:\\work\\k8s\\y.yaml'),
          ]),
          { ...options, ...(cwd === undefined ? {} : { cwd }) },
        ),
      ).map((r) => r.locations[0]?.physicalLocation?.artifactLocation)
    // In report order: by the file as the finding names it.
    expect(uris(FIXTURE_CWD)).toEqual([
      { uri: 'file:///etc/k8s/x.yaml' },
      { uri: 'k8s/app.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///C:/work/k8s/y.yaml' },
      { uri: 'apps/caf%C3%A9%20team/web.yaml', uriBaseId: '%SRCROOT%' },
    ])
    expect(uris('C:\\work')).toContainEqual({ uri: 'k8s/y.yaml', uriBaseId: '%SRCROOT%' })
  })

  it("keeps a live object's k8s:// name (palisade audit) as its URI, without the checkout base", () => {
    const [first] = fixtureResult().findings
    const live = {
      ...(first as Finding),
      span: {
        file: 'k8s://prod/shop/Pod/web-1',
        start: { line: 9, column: 5, offset: 0 },
        end: { line: 9, column: 5, offset: 0 },
      },
    }
    expect(resultsOf(parse(withFindings([live])))[0]?.locations[0]?.physicalLocation?.artifactLocation).toEqual({
      uri: 'k8s://prod/shop/Pod/web-1',
    })
  })

  it('never gives GitHub an empty region', () => {
    const [first] = fixtureResult().findings
    const point = {
      ...(first as Finding),
      span: { file: 'a.yaml', start: { line: 4, column: 7, offset: 0 }, end: { line: 4, column: 7, offset: 0 } },
    }
    expect(resultsOf(parse(withFindings([point])))[0]?.locations[0]?.physicalLocation?.region).toEqual({
      startLine: 4,
      startColumn: 7,
      endLine: 4,
      endColumn: 8,
    })
  })

  it('reports diagnostics as tool execution notifications, and errors as an unsuccessful execution', () => {
    const [invocation] = parse(fixtureResult()).runs[0]?.invocations ?? []
    expect(invocation?.executionSuccessful).toBe(false)
    expect(
      invocation?.toolExecutionNotifications?.map((n) => [
        n.level,
        n.descriptor.id,
        n.locations?.[0]?.physicalLocation?.artifactLocation.uri,
      ]),
    ).toEqual([
      ['error', 'RENDER_FAILED', undefined],
      ['error', 'YAML_SYNTAX', 'clusters/prod/broken.yaml'],
      ['warning', 'WAIVER_EXPIRED', 'palisade.yaml'],
    ])
    const warningsOnly = {
      ...fixtureResult(),
      diagnostics: fixtureResult().diagnostics.filter((d) => d.severity === 'warning'),
    }
    expect(parse(warningsOnly).runs[0]?.invocations[0]?.executionSuccessful).toBe(true)
  })
})

describe('formatSarifChunks', () => {
  const options = { color: false, toolVersion: FIXTURE_VERSION, cwd: FIXTURE_CWD }

  it('comes in pieces that join to exactly JSON.stringify(log, null, 2), over several pieces of results', () => {
    const base = fixtureResult()
    const many = Array.from({ length: 1234 }, (_, i) => ({
      ...base.findings[i % base.findings.length]!,
      message: `finding ${i} with "quotes" and a line\nbreak`,
    }))
    const chunks = [...formatSarifChunks({ ...base, findings: many }, options)]
    expect(chunks.length).toBeGreaterThan(3)
    const text = chunks.join('')
    const log = JSON.parse(text) as SarifLog
    expect(`${JSON.stringify(log, null, 2)}\n`).toBe(text)
    expect(log.runs[0]?.results).toHaveLength(1234)
    expect(Object.keys(log.runs[0] ?? {})).toEqual([
      'tool',
      'invocations',
      'originalUriBaseIds',
      'results',
      'columnKind',
    ])
    expect(text).toBe(formatSarif({ ...base, findings: many }, options))
  })

  it('prints an empty result list as []', () => {
    const text = [...formatSarifChunks(emptyResult(), options)].join('')
    expect(`${JSON.stringify(JSON.parse(text), null, 2)}\n`).toBe(text)
    expect(text).toContain('"results": []')
  })
})
