import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import type { CheckResult, Finding } from '../core/index.js'
import { fixtureResult, FIXTURE_VERSION } from './fixture-result.test-support.js'
import { formatResult } from './index.js'

/** The fixture as a baseline scan: the first finding is new, the rest existing, one fixed, one review finding. */
function baselineResult(): CheckResult {
  const result = fixtureResult()
  const unwaived = result.findings
    .filter((f) => !f.waiver)
    .sort((a, b) => Number(a.span === undefined) - Number(b.span === undefined))
  const [first, second, ...rest] = unwaived as [Finding, Finding, ...Finding[]]
  const review: Finding = {
    ...second,
    policyId: 'requires-review',
    messageId: 'rbacWildcard',
    message: 'ClusterRole/ops now grants wildcard permissions: * */*; needs review by @org/platform',
    severity: 'critical',
    action: 'warn',
    owners: ['@org/platform'],
    baseline: 'new',
    fingerprint: 'f'.repeat(32),
  }
  result.findings = [
    { ...first, baseline: 'new' },
    { ...second, baseline: 'existing' },
    ...rest.map((f): Finding => ({ ...f, baseline: 'existing' })),
    review,
  ]
  result.fixed = [{ ...second, message: 'Container "old" is privileged.', fingerprint: 'e'.repeat(32) }]
  return result
}

const render = (result: CheckResult, links?: { blobBase: string; pathPrefix: string }): string =>
  formatResult(result, 'markdown', { color: false, toolVersion: FIXTURE_VERSION, ...(links ? { links } : {}) })

describe('markdown', () => {
  it('counts new, fixed and existing findings by severity, and lists only the new ones', () => {
    const result = baselineResult()
    const first = result.findings[0] as Finding
    const md = render(result)
    const rows = md.split('\n').filter((l) => /^\| (New|Fixed|Existing) \|/.test(l))
    const count = (label: string): string => rows.find((r) => r.startsWith(`| ${label} |`)) ?? ''
    expect(count('New')).toMatch(/\| 2 \|$/) // the first finding and the review finding
    expect(count('Fixed')).toMatch(/\| 1 \|$/)
    expect(count('Existing')).toMatch(new RegExp(`\\| ${result.findings.length - 2} \\|$`))
    const table = md.slice(md.indexOf('### New findings'), md.indexOf('### Changes that need review'))
    expect(table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Severity')).length).toBe(1)
    expect(table).toContain(`[${first.span?.file}:${first.span?.start.line}]`)
    expect(md).toContain('| critical | ClusterRole/ops now grants wildcard permissions: \\* \\*/\\* | @org/platform |')
    expect(md).toMatch(/<summary>Fixed \(1\)<\/summary>/)
  })

  it('says whether the new findings block, ignoring existing ones', () => {
    const result = baselineResult()
    const blockingNew =
      (result.findings[0] as Finding).action === 'deny' && (result.findings[0] as Finding).severity !== 'info'
    expect(render(result).split('\n')[0]).toBe(
      blockingNew ? '## Palisade: :x: 1 blocking finding, 3 blocking errors' : '## Palisade: :x: 3 blocking errors',
    )
    result.findings = result.findings.map((f) => ({ ...f, baseline: 'existing' }))
    // The finding with status error is in the baseline now: only the two file errors block.
    expect(render(result).split('\n')[0]).toBe('## Palisade: :x: 2 blocking errors')
    expect(render({ ...result, diagnostics: [] }).split('\n')[0]).toBe('## Palisade: :white_check_mark: nothing blocks')
  })

  it('links to GitHub blobs at the commit when given a blob base, with the working folder prefix', () => {
    const result = baselineResult()
    const first = result.findings[0] as Finding
    const md = render(result, { blobBase: 'https://github.com/org/repo/blob/0123abc/', pathPrefix: 'deploy/' })
    const encoded = (first.span?.file ?? '').split('/').map(encodeURIComponent).join('/')
    expect(md).toContain(`(https://github.com/org/repo/blob/0123abc/deploy/${encoded}#L${first.span?.start.line})`)
    expect(render(result)).toContain(`(${encoded}#L${first.span?.start.line})`)
  })

  it('sorts by severity, shows the environment, never leaves out a critical finding, and says where the full report is', () => {
    const result = fixtureResult()
    const critical = result.findings.find((f) => f.severity === 'critical' && !f.waiver) as Finding
    const low = result.findings.find((f) => f.severity === 'low' && !f.waiver) as Finding
    // 150 critical findings after 120 low ones in file order: the row limit (100) must not hide a critical one.
    result.findings = [
      ...Array.from({ length: 120 }, (_, i): Finding => ({ ...low, message: `low ${i}`, fingerprint: `l${i}` })),
      ...Array.from({ length: 150 }, (_, i): Finding => ({
        ...critical,
        message: `critical ${i}`,
        environment: 'production',
        fingerprint: `c${i}`,
      })),
    ]
    result.diagnostics = []
    const md = formatResult(result, 'markdown', {
      color: false,
      toolVersion: FIXTURE_VERSION,
      fullReport: 'https://github.com/acme/gitops/actions/runs/42',
    })
    const rows = md.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \|/.test(l))
    expect(rows).toHaveLength(150)
    expect(
      rows.every(
        (r) =>
          r.startsWith('| critical | deny | `disallow-privileged-containers` | critical ') &&
          r.includes(' | production | '),
      ),
    ).toBe(true)
    expect(md).toMatch(
      /^…and 120 more, of lower severity: <https:\/\/github\.com\/acme\/gitops\/actions\/runs\/42>\.$/m,
    )
    expect(md).toContain('Full report: <https://github.com/acme/gitops/actions/runs/42>.')
    expect(md).toContain('| Severity | Action | Policy | Finding | Environment | Where |')
  })

  it('lists the sources that were not scanned', () => {
    const md = formatResult(fixtureResult(), 'markdown', {
      color: false,
      toolVersion: FIXTURE_VERSION,
      notScanned: [
        {
          name: 'Argo CD Application example.plugin-nix',
          file: 'apps/nix.yaml',
          status: 'unscanned',
          reason: 'config management plugin "nix"',
        },
      ],
    })
    expect(md).toContain('### Not scanned (1)')
    expect(md).toContain(
      '- not scanned: Argo CD Application example.plugin-nix (apps/nix.yaml): config management plugin "nix"',
    )
  })

  it('names the baseline commit and REF as given, escaped, and only on a baseline scan', () => {
    const baseline = {
      ref: 'origin/main',
      refCommit: 'a'.repeat(40),
      commit: 'b'.repeat(40),
      reason: 'the merge base of origin/main and HEAD',
    }
    const md = (result: CheckResult, b = baseline): string =>
      formatResult(result, 'markdown', { color: false, toolVersion: FIXTURE_VERSION, baseline: b })
    const lines = md(baselineResult()).split('\n')
    // Right under the counts, before the table.
    expect(lines[4]).toBe(
      `Compared with the baseline origin/main at \`${'b'.repeat(12)}\` (origin/main is at \`${'a'.repeat(12)}\`): the merge base of origin/main and HEAD.`,
    )
    expect(lines[6]?.startsWith('| |')).toBe(true)
    const atTip = md(baselineResult(), { ...baseline, commit: baseline.refCommit, reason: "origin/main's tip" })
    expect(atTip).toContain(`Compared with the baseline origin/main at \`${'a'.repeat(12)}\`: origin/main's tip.\n`)
    const hostile = md(baselineResult(), { ...baseline, ref: 'x|<img src=y>\u001b[2J`' })
    expect(hostile).toContain('Compared with the baseline x\\|&lt;img src=y&gt;\u241b\\[2J\\` at')
    expect(hostile).not.toContain('\u001b')
    // Without a baseline comparison (no fixed list), no such line, even if given.
    expect(md(fixtureResult())).not.toContain('Compared with the baseline')
  })

  it('escapes table syntax, HTML and control characters from the input', () => {
    const result = baselineResult()
    result.findings = [
      {
        ...(result.findings[0] as Finding),
        message: 'a | b <img src=x> [link](http://x) `code`\n# heading \u001b[31m',
      },
    ]
    const line =
      render(result)
        .split('\n')
        .find((l) => l.includes('a \\| b')) ?? ''
    expect(line).toContain('&lt;img src=x&gt; \\[link\\]\\(http://x\\) \\`code\\` \\# heading ␛\\[31m')
    expect(line.split(' | ').length).toBe(6)
  })
})

describe('baseline states in other formats', () => {
  it('SARIF carries baselineState and JSON carries baseline and fixed', () => {
    const result = baselineResult()
    const sarif = JSON.parse(formatResult(result, 'sarif', { color: false, toolVersion: FIXTURE_VERSION })) as {
      runs: { results: { baselineState?: string }[] }[]
    }
    const states = sarif.runs[0]?.results.map((r) => r.baselineState)
    expect(states?.filter((s) => s === 'new')).toHaveLength(2)
    expect(states?.every((s) => s === 'new' || s === 'unchanged')).toBe(true)
    const json = JSON.parse(formatResult(result, 'json', { color: false, toolVersion: FIXTURE_VERSION })) as {
      findings: { baseline?: string; owners?: string[] }[]
      fixed: unknown[]
    }
    expect(json.findings.filter((f) => f.baseline === 'new')).toHaveLength(2)
    expect(json.findings.find((f) => f.owners)?.owners).toEqual(['@org/platform'])
    expect(json.fixed).toHaveLength(1)
    const schema = JSON.parse(
      readFileSync(new URL('../../docs/schemas/scan-output.schema.json', import.meta.url), 'utf8'),
    ) as object
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema)
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
    const { fixed: _fixed, ...rest } = result
    const commit: CheckResult = {
      ...rest,
      findings: [
        {
          ...(result.findings[0] as Finding),
          commit: { id: 'a'.repeat(40), author: 'A <a@x>', paths: ['p'], signer: 'a@x' },
        },
      ],
    }
    expect(
      validate(JSON.parse(formatResult(commit, 'json', { color: false, toolVersion: FIXTURE_VERSION }))),
      JSON.stringify(validate.errors),
    ).toBe(true)
  })
})
