import { describe, expect, it } from 'vitest'
import type { CheckResult, Finding } from '../core/index.js'
import { emptyResult, fixtureResult, FIXTURE_VERSION } from './fixture-result.test-support.js'
import { formatJunit } from './index.js'
import { parseXml, type XmlElement } from './xml-check.test-support.js'

const render = (result: CheckResult): XmlElement =>
  parseXml(formatJunit(result, { color: false, toolVersion: FIXTURE_VERSION }))
const cases = (suite: XmlElement): XmlElement[] => suite.children.filter((c) => c.name === 'testcase')
const has =
  (name: string) =>
  (c: XmlElement): boolean =>
    c.children.some((x) => x.name === name)

/** Every count attribute equals what the children say, at suite and root level. */
function expectConsistentCounts(root: XmlElement): void {
  const sum = { tests: 0, failures: 0, errors: 0, skipped: 0 }
  expect(root.name).toBe('testsuites')
  for (const suite of root.children) {
    expect(suite.name).toBe('testsuite')
    const counts = {
      tests: cases(suite).length,
      failures: cases(suite).filter(has('failure')).length,
      errors: cases(suite).filter(has('error')).length,
      skipped: cases(suite).filter(has('skipped')).length,
    }
    expect(suite.attributes).toMatchObject({
      tests: String(counts.tests),
      failures: String(counts.failures),
      errors: String(counts.errors),
      skipped: String(counts.skipped),
      time: '0',
    })
    for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += counts[key]
  }
  expect(root.attributes).toMatchObject({
    tests: String(sum.tests),
    failures: String(sum.failures),
    errors: String(sum.errors),
    skipped: String(sum.skipped),
  })
}

describe('formatJunit', () => {
  it('is well-formed XML whose counts match its testcases', () => {
    for (const result of [
      fixtureResult(),
      fixtureResult({ withChecks: true }),
      emptyResult(),
      emptyResult({ withChecks: true }),
    ])
      expectConsistentCounts(render(result))
  })

  it('has one suite per policy and one case per policy × resource, passes included when checks are recorded', () => {
    const root = render(fixtureResult({ withChecks: true }))
    const names = root.children.map((s) => s.attributes.name)
    expect(names).toEqual(
      [...names]
        .sort()
        .filter((n) => n !== 'palisade.errors')
        .concat('palisade.errors'),
    )
    const api = root.children.find((s) => s.attributes.name === 'require-run-as-non-root')
    expect(
      cases(api as XmlElement).map((c) => [
        c.attributes.classname,
        c.attributes.name,
        c.children.map((x) => x.name).join(),
      ]),
    ).toContainEqual(['require-run-as-non-root', 'Deployment/prod/api (clusters/prod/api.yaml)', 'failure'])
    expect(cases(api as XmlElement).filter((c) => c.children.length === 0)).toHaveLength(5)
  })

  it('lists only failing, error and waived cases without check records', () => {
    const root = render(fixtureResult())
    const all = root.children.filter((s) => s.attributes.name !== 'palisade.errors').flatMap(cases)
    expect(all).toHaveLength(
      new Set(fixtureResult().findings.map((f) => `${f.policyId} ${f.resource.kind}/${f.resource.name}`)).size,
    )
    expect(all.every((c) => c.children.length === 1)).toBe(true)
  })

  it('maps statuses: fail to failure, error to error, all waived to skipped', () => {
    const root = render(fixtureResult())
    const outcome = (policy: string, name: string): string | undefined =>
      root.children.find((s) => s.attributes.name === policy)?.children.find((c) => c.attributes.name?.startsWith(name))
        ?.children[0]?.name
    expect(outcome('disallow-privileged-containers', 'Deployment/prod/api')).toBe('failure')
    expect(outcome('require-resource-requests', 'CronJob/prod/report')).toBe('error')
    expect(outcome('disallow-host-namespaces', 'Deployment/staging/worker')).toBe('skipped')
    expect(outcome('disallow-host-path-volumes', 'Pod/team-a/debug')).toBe('failure')
  })

  it('puts the first message in the attribute and every finding with its location in the text', () => {
    const [first] = fixtureResult().findings
    const second = {
      ...(first as Finding),
      message: 'Second "finding"\non two lines',
      span: { file: 'a.yaml', start: { line: 7, column: 3, offset: 0 }, end: { line: 7, column: 9, offset: 0 } },
    }
    const one = {
      ...(first as Finding),
      message: 'First <finding> & more',
      span: { file: 'a.yaml', start: { line: 2, column: 5, offset: 0 }, end: { line: 2, column: 9, offset: 0 } },
    }
    const root = render({ ...fixtureResult(), findings: [second, one], diagnostics: [] })
    const failure = root.children[0]?.children.find((c) => c.name === 'testcase')?.children[0]
    expect(failure?.attributes.message).toBe('First <finding> & more')
    expect(failure?.text.split('\n')).toEqual([
      `a.yaml:2:5  ${one.severity}  ${one.action.toUpperCase()}  First <finding> & more`,
      `a.yaml:7:3  ${one.severity}  ${one.action.toUpperCase()}  Second "finding"`,
      'on two lines',
    ])
  })

  it('escapes markup and keeps text XML 1.0 cannot carry as visible escapes', () => {
    const [first] = fixtureResult().findings
    const hostile = `a${String.fromCharCode(0, 1, 8, 11, 12, 27, 31)}b\ufffe\ud800\tc\r\nd ]]> <x a="1"> &amp; 🚀`
    const root = render({
      ...fixtureResult(),
      findings: [{ ...(first as Finding), message: hostile }],
      diagnostics: [],
    })
    const failure = root.children[0]?.children.find((c) => c.name === 'testcase')?.children[0]
    const expected = 'a\\u0000\\u0001\\u0008\\u000B\\u000C\\u001B\\u001Fb\\uFFFE\\uD800\tc\r\nd ]]> <x a="1"> &amp; 🚀'
    expect(failure?.attributes.message).toBe(expected) // tab, CR and LF survive attribute normalisation as references
    expect(failure?.text).toContain(expected)
  })

  it('reports error diagnostics as error cases of a last suite', () => {
    const root = render(fixtureResult())
    const errors = root.children[root.children.length - 1]
    expect(errors?.attributes.name).toBe('palisade.errors')
    expect(cases(errors as XmlElement).map((c) => [c.attributes.name, c.children[0]?.attributes.type])).toEqual([
      ['RENDER_FAILED', 'RENDER_FAILED'],
      ['YAML_SYNTAX clusters/prod/broken.yaml:5:2', 'YAML_SYNTAX'],
    ])
  })

  it('is checked by a reader that does reject malformed XML', () => {
    const declared = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`
    for (const bad of [
      '<a><b></a></b>',
      '<a x=1/>',
      '<a>&nbsp;</a>',
      '<a>x & y</a>',
      '<a/><b/>',
      `<a>${String.fromCharCode(27)}</a>`,
      '<a x="1" x="2"/>',
      '<a>',
    ].map(declared)) {
      expect(() => parseXml(bad), bad).toThrow()
    }
    expect(parseXml(declared('<a x="&lt;&#10;"><b>t &amp; u</b></a>')).children[0]?.text).toBe('t & u')
  })
})
