import { describe, expect, it } from 'vitest'
import type { CheckResult, ErrorsMode, Finding, Severity } from '../core/index.js'
import { emptyResult, fixtureResult, FIXTURE_VERSION } from './fixture-result.test-support.js'
import { formatText } from './index.js'

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g
// eslint-disable-next-line no-control-regex
const ESC = /\u001b/
const render = (result: CheckResult, color = false, failOn?: Severity, errors?: ErrorsMode): string =>
  formatText(result, {
    color,
    toolVersion: FIXTURE_VERSION,
    ...(failOn ? { failOn } : {}),
    ...(errors ? { errors } : {}),
  })

function oneFinding(file: string, text: string, line: number, column: number, endColumn = column + 1): CheckResult {
  const denied = fixtureResult().findings.find((f) => f.policyId === 'require-run-as-non-root') as Finding
  const finding: Finding = {
    ...denied,
    span: { file, start: { line, column, offset: 0 }, end: { line, column: endColumn, offset: 0 } },
  }
  return { ...fixtureResult(), findings: [finding], diagnostics: [], sources: new Map([[file, text]]) }
}

describe('formatText', () => {
  it('has no escape character at all without colour, even when the input carries some', () => {
    const text = render(fixtureResult())
    expect(fixtureResult().findings.some((f) => ESC.test(f.message))).toBe(true)
    expect(text).not.toMatch(ESC)
  })

  it('colours with ANSI codes when asked, and differs from plain text by them only', () => {
    const coloured = render(fixtureResult(), true)
    expect(coloured).toMatch(ANSI)
    expect(coloured.replace(ANSI, '')).toBe(render(fixtureResult()))
    expect(coloured.replace(ANSI, '')).not.toMatch(ESC) // the input's own escapes were neutralised
  })

  it('writes each finding as file:line:col  severity  ACTION  policy-id  message', () => {
    const text = formatText(fixtureResult(), { color: false, toolVersion: FIXTURE_VERSION, verbose: true })
    expect(text).toContain(
      'clusters/prod/api.yaml:13:13  critical  DENY   disallow-privileged-containers  Container "app" sets securityContext.privileged to true.',
    )
    expect(text).toContain('clusters/prod/api.yaml:11:11  medium    WARN   disallow-latest-image-tag')
    expect(text).toContain('waived: The profiler needs to see every process. (perf@example.com, until 2027-06-30)')
    expect(text).toMatch(/^Pod\/team-a\/debug \(no source file\)\n {2}Pod\/team-a\/debug {2}high/m)
  })

  it('leads with findings by severity and by policy, most severe first', () => {
    const lines = render(fixtureResult()).split('\n')
    expect(lines[0]).toMatch(/^Findings: 1 critical, 2 high, \d+ medium, \d+ low, \d+ info \(and 2 waived\)$/)
    expect(lines[1]).toMatch(/^ {2}critical +1 {2}disallow-privileged-containers +1 deny$/)
    expect(lines[2]).toMatch(/^ {2}high /)
  })

  it('lists critical and high findings first, in full; the rest one line each unless --verbose', () => {
    const result = fixtureResult()
    const medium = result.findings.find((f) => f.severity === 'medium' && f.action === 'warn') as Finding
    const listed = (text: string): string[] =>
      text
        .split('\n')
        .flatMap((l) => /^ {2}\S.*? {2}(critical|high|medium|low|info) +(?:DENY|WARN|AUDIT) /.exec(l)?.[1] ?? [])
    const text = render(result)
    const severities = listed(text)
    const severe = (s: string): boolean => s === 'critical' || s === 'high'
    expect(severities.filter(severe)).toHaveLength(result.findings.filter((f) => severe(f.severity)).length)
    expect(severities.findIndex((s) => !severe(s))).toBeGreaterThan(severities.findLastIndex(severe))
    expect(listed(text)).toHaveLength(result.findings.length)
    const line = `${medium.span?.file}:${medium.span?.start.line}:${medium.span?.start.column}  medium`
    const after = (t: string): string => t.split('\n')[t.split('\n').findIndex((l) => l.includes(line)) + 1] ?? ''
    expect(after(text)).not.toMatch(/^ {4}in /)
    expect(text).toMatch(
      /^\d+ findings? of medium, low or info severity shown briefly: --verbose shows every finding in full\.$/m,
    )
    const verbose = formatText(result, { color: false, toolVersion: FIXTURE_VERSION, verbose: true })
    expect(after(verbose)).toMatch(/^ {4}in Deployment\/prod\/api at /)
    expect(listed(verbose)).toHaveLength(result.findings.length)
    expect(verbose).not.toMatch(/--verbose shows/)
  })

  it('claims no fix: no command applies fixes yet (JSON keeps the neutral fix field)', () => {
    const withFix = fixtureResult().findings.filter((f) => f.fix !== undefined)
    expect(withFix.length).toBeGreaterThan(0)
    expect(render(fixtureResult())).not.toMatch(/fix available|--fix/)
  })

  it('ends with whether the run blocks, honouring fail-on', () => {
    const lastLine = (text: string): string => text.trimEnd().split('\n').pop() ?? ''
    const errors = '3 errors (input that could not be read, parsed, rendered, validated or evaluated) block'
    expect(lastLine(render(fixtureResult()))).toBe(`Blocking: 4 findings with action deny are not waived; ${errors}.`)
    expect(lastLine(render(fixtureResult(), false, 'critical'))).toBe(
      `Blocking: 1 finding with action deny at or above critical is not waived; ${errors}.`,
    )
    expect(lastLine(render(fixtureResult(), false, 'critical', 'report'))).toBe(
      'Blocking: 1 finding with action deny at or above critical is not waived.',
    )
    const mediumOnly = {
      ...fixtureResult(),
      diagnostics: [],
      findings: fixtureResult().findings.filter((f) => f.severity === 'medium'),
    }
    expect(lastLine(render(mediumOnly, false, 'high'))).toBe(
      'Not blocking: 1 deny finding is below the fail-on severity high.',
    )
    expect(lastLine(render(emptyResult()))).toBe('Not blocking: no finding has action deny.')
  })

  it('counts the errors that block in the summary, and says when palisade.yaml only reports them', () => {
    const errorsLine = (text: string): string => text.split('\n').find((l) => l.startsWith('  errors:')) ?? ''
    expect(errorsLine(render(fixtureResult()))).toBe(
      '  errors:   2 (and 1 warning), 1 finding with status error; 3 block',
    )
    expect(errorsLine(render(fixtureResult(), false, undefined, 'report'))).toMatch(
      /; reported only \(palisade\.yaml errors: report\)$/,
    )
    const onlyErrors = { ...fixtureResult(), findings: [] }
    expect(render(onlyErrors).trimEnd().split('\n').pop()).toMatch(/^Blocking: 2 errors/)
    expect(render(onlyErrors, false, undefined, 'report').trimEnd().split('\n').pop()).toBe(
      'Not blocking: no finding has action deny.',
    )
  })

  it('frames code with two lines of context, a gutter and carets under the span', () => {
    const text = render(oneFinding('a.yaml', 'l1\nl2\nl3\n  key: value\nl5\nl6\nl7\n', 4, 3, 6))
    expect(text).toContain(
      [
        '      2 | l2',
        '      3 | l3',
        '    > 4 |   key: value',
        '        |   ^^^',
        '      5 | l5',
        '      6 | l6\n',
      ].join('\n'),
    )
  })

  it('counts lines as the YAML layer does (CRLF and lone CR) and keeps tabs under the caret', () => {
    expect(render(oneFinding('a.yaml', 'one\r\ntwo\rthree\n\tx: 1', 4, 2))).toContain(
      '    > 4 | \tx: 1\n        | \t^\n',
    )
  })

  it('shows a window of a very long line, with the caret still under the column', () => {
    const line = `${'a'.repeat(500)}TARGET${'b'.repeat(500)}`
    const frame = render(oneFinding('min.json', line, 1, 501, 507)).split('\n')
    const shown = frame.find((l) => l.startsWith('    > 1 | ')) ?? ''
    const caret = frame[frame.indexOf(shown) + 1] ?? ''
    expect(shown.length).toBeLessThan(200)
    expect(shown.slice(caret.indexOf('^'), caret.indexOf('^') + 6)).toBe('TARGET')
    expect(caret.trimEnd().endsWith('^^^^^^')).toBe(true)
  })

  it('leaves the frame out when the source text or the line is not there', () => {
    const noSource = { ...oneFinding('a.yaml', 'x: 1\n', 1, 1), sources: new Map<string, string>() }
    expect(render(noSource)).not.toContain(' | ')
    expect(render(oneFinding('a.yaml', 'x: 1\n', 9, 1))).not.toContain(' | ')
  })

  it('lists diagnostics with their code and hint, and counts warnings apart from errors', () => {
    const text = render(fixtureResult())
    expect(text).toContain(
      '  clusters/prod/broken.yaml:5:2  error  YAML_SYNTAX  bad indentation of a mapping entry\n    hint: indent nested keys consistently with spaces',
    )
    expect(text).toContain('  error  RENDER_FAILED  helm template')
    expect(text).toContain('  errors:   2 (and 1 warning)')
  })

  it('groups findings without a file under one heading per resource', () => {
    const fileless = fixtureResult().findings.find((f) => f.span === undefined) as Finding
    const other = { ...fileless, resource: { ...fileless.resource, name: 'aaa' } }
    const findings = [fileless, { ...other, policyId: 'zzz-policy' }, { ...fileless, policyId: 'aaa-policy' }, other]
    const headings = render({ ...fixtureResult(), findings, diagnostics: [] })
      .split('\n')
      .filter((l) => l.endsWith('(no source file)'))
    expect(headings).toEqual(['Pod/team-a/aaa (no source file)', 'Pod/team-a/debug (no source file)'])
  })
})
