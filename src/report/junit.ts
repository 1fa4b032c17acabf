import { formatResourceRef, verdictOf, type CheckResult, type Finding, type PolicyMeta } from '../core/index.js'
import { junitCases, type JunitCase } from './junit-cases.js'
import { isErrorDiagnostic, sortDiagnostics } from './ordering.js'
import { attributes, escapeText } from './xml.js'
import type { FormatOptions } from './types.js'

interface Counts {
  tests: number
  failures: number
  errors: number
  skipped: number
}

/**
 * JUnit XML as GitLab, Jenkins and Azure DevOps render it: one testsuite per policy, one
 * testcase per policy × resource (classname = policy id, name = `Kind/namespace/name` and
 * the file). A failing case has a `failure` (message = its first finding, text = every
 * finding with file:line:col), a case that could not be evaluated an `error`, an all-waived
 * case `skipped`; passes are plain testcases, present when the result has check records.
 * Error diagnostics (files that could not be read or parsed) form a last suite,
 * `palisade.errors`, of error cases, with a `blocking` property (palisade.yaml `errors:`); the
 * header comment says whether the run blocks and why. Times are 0: reports carry no clock.
 */
export function formatJunit(result: CheckResult, options: FormatOptions): string {
  const verdict = verdictOf(result.findings, result.diagnostics, options)
  const suites: string[] = []
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 }
  for (const [policyId, cases] of junitCases(result)) {
    const counts: Counts = {
      tests: cases.length,
      failures: cases.filter((c) => c.status === 'fail').length,
      errors: cases.filter((c) => c.status === 'error').length,
      skipped: cases.filter((c) => c.status === 'skip').length,
    }
    add(total, counts)
    suites.push(suite(policyId, counts, cases.map(testcase), result.policies.get(policyId)))
  }
  const problems = sortDiagnostics(result.diagnostics).filter(isErrorDiagnostic)
  if (problems.length > 0) {
    const counts: Counts = { tests: problems.length, failures: 0, errors: problems.length, skipped: 0 }
    add(total, counts)
    const cases = problems.map((d) => {
      const where = d.span ? `${d.span.file}:${d.span.start.line}:${d.span.start.column}` : undefined
      const text = [
        where === undefined ? d.message : `${where}  ${d.message}`,
        d.hint === undefined ? undefined : `hint: ${d.hint}`,
      ]
      return element(
        'testcase',
        {
          classname: 'palisade.errors',
          name: where === undefined ? d.code : `${d.code} ${where}`,
          file: d.span?.file,
          time: 0,
        },
        [
          element(
            'error',
            { message: d.message, type: d.code },
            escapeText(text.filter((t) => t !== undefined).join('\n')),
          ),
        ],
      )
    })
    const blocks = verdict.errors > 0 ? 'true' : 'false'
    suites.push(
      suite('palisade.errors', counts, cases, undefined, [element('property', { name: 'blocking', value: blocks })]),
    )
  }
  const root = element(
    'testsuites',
    {
      name: 'palisade',
      tests: total.tests,
      failures: total.failures,
      errors: total.errors,
      skipped: total.skipped,
      time: 0,
    },
    suites,
  )
  const said = verdict.blocking ? `blocking (${verdict.findings} findings, ${verdict.errors} errors)` : 'not blocking'
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!-- palisade ${escapeText(options.toolVersion).replace(/--/g, '- -')}: ${said} -->\n${root}\n`
}

function add(total: Counts, counts: Counts): void {
  total.tests += counts.tests
  total.failures += counts.failures
  total.errors += counts.errors
  total.skipped += counts.skipped
}

function suite(
  name: string,
  counts: Counts,
  cases: string[],
  meta?: PolicyMeta,
  extra: readonly string[] = [],
): string {
  const props = meta
    ? [
        element('property', { name: 'title', value: meta.title }),
        element('property', { name: 'severity', value: meta.severity }),
        element('property', { name: 'category', value: meta.category }),
      ]
    : []
  const properties = props.length + extra.length > 0 ? [element('properties', {}, [...props, ...extra])] : []
  return element('testsuite', { name, ...counts, time: 0 }, [...properties, ...cases])
}

function testcase(c: JunitCase): string {
  const name = `${formatResourceRef(c.resource)}${c.file === undefined ? '' : ` (${c.file})`}`
  const attrs = { classname: c.policyId, name, file: c.file, time: 0 }
  const open = c.findings.filter((f) => !f.waiver)
  const first = open[0] ?? c.findings[0]
  const body = escapeText(c.findings.map(findingLine).join('\n'))
  switch (c.status) {
    case 'pass':
      return element('testcase', attrs)
    case 'fail':
      return element('testcase', attrs, [
        element('failure', { message: first?.message ?? 'failed', type: first?.severity }, body),
      ])
    case 'error':
      return element('testcase', attrs, [
        element(
          'error',
          {
            message: open.find((f) => f.status === 'error')?.message ?? 'could not be evaluated',
            type: first?.severity,
          },
          body,
        ),
      ])
    case 'skip':
      return element('testcase', attrs, [
        element('skipped', { message: first?.waiver ? `waived: ${first.waiver.reason}` : 'skipped' }, body),
      ])
  }
}

function findingLine(f: Finding): string {
  const where = f.span
    ? `${f.span.file}:${f.span.start.line}:${f.span.start.column}`
    : `${formatResourceRef(f.resource)} ${f.path || '/'}`
  const waived = f.waiver ? `  (waived: ${f.waiver.reason})` : ''
  return `${where}  ${f.severity}  ${f.action.toUpperCase()}  ${f.message}${waived}`
}

/** An element; children are already serialised (or escaped text). Empty elements self-close. */
function element(
  name: string,
  attrs: Readonly<Record<string, string | number | undefined>>,
  children: string | readonly string[] = [],
): string {
  const open = `<${name}${attributes(attrs)}`
  if (typeof children === 'string') return children === '' ? `${open}/>` : `${open}>${children}</${name}>`
  if (children.length === 0) return `${open}/>`
  // Only markup lines are indented: escaped text never starts a line with `<`, and its own lines must stay as they are.
  const inner = children.map((c) => c.replace(/^(?= *<)/gm, '  ')).join('\n')
  return `${open}>\n${inner}\n</${name}>`
}
