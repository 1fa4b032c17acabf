import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { CheckResult } from '../core/index.js'
import { emptyResult, fixtureResult, FIXTURE_CWD, FIXTURE_VERSION } from './fixture-result.test-support.js'
import { FORMAT_NAMES, formatResult, type FormatName } from './index.js'

/**
 * Compare with src/report/__golden__/<name>; `UPDATE_GOLDEN=1 npx vitest run src/report`
 * rewrites the files instead. A golden is the spec of its format: review every change to it.
 */
function expectGolden(name: string, actual: string): void {
  const file = new URL(`./__golden__/${name}`, import.meta.url)
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(file, actual)
    return
  }
  expect(existsSync(file), `${name} is missing: run UPDATE_GOLDEN=1 npx vitest run src/report, then review it`).toBe(
    true,
  )
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

const EXTENSION: Record<FormatName, string> = {
  text: 'txt',
  json: 'json',
  sarif: 'sarif',
  junit: 'junit.xml',
  markdown: 'md',
  policyreport: 'policyreport.json',
}
const render = (result: CheckResult, format: FormatName): string =>
  formatResult(result, format, { color: false, toolVersion: FIXTURE_VERSION, cwd: FIXTURE_CWD })

describe('golden reports', () => {
  for (const format of FORMAT_NAMES) {
    it(`${format}: the full fixture`, () => {
      expectGolden(
        `full.${EXTENSION[format]}`,
        render(fixtureResult({ withChecks: format === 'junit' || format === 'policyreport' }), format),
      )
    })
    it(`${format}: a clean run`, () => {
      expectGolden(
        `empty.${EXTENSION[format]}`,
        render(emptyResult({ withChecks: format === 'junit' || format === 'policyreport' }), format),
      )
    })
  }

  it('markdown: a baseline scan names the commit the findings were compared with', () => {
    const result = fixtureResult()
    result.findings = result.findings.map((f, i) => ({ ...f, baseline: i % 2 === 0 ? 'new' : 'existing' }))
    const [gone] = result.findings
    if (gone) result.fixed = [{ ...gone, message: 'Container "old" is privileged.', fingerprint: 'e'.repeat(32) }]
    const baseline = {
      ref: 'origin/main',
      refCommit: '0123456789abcdef0123456789abcdef01234567',
      commit: 'fedcba9876543210fedcba9876543210fedcba98',
      reason:
        "the merge base of origin/main and HEAD (where HEAD forked; origin/main moved on since): what origin/main changed after the fork is not the pull request's",
    }
    expectGolden(
      'baseline.md',
      formatResult(result, 'markdown', { color: false, toolVersion: FIXTURE_VERSION, cwd: FIXTURE_CWD, baseline }),
    )
  })

  it('junit without check records lists only the failing cases', () => {
    expectGolden('full-no-checks.junit.xml', render(fixtureResult(), 'junit'))
  })

  it('does not depend on the order of findings and diagnostics', () => {
    const shuffled = fixtureResult({ withChecks: true })
    shuffled.findings.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1))
    shuffled.diagnostics.reverse()
    for (const format of FORMAT_NAMES)
      expect(render(shuffled, format)).toBe(render(fixtureResult({ withChecks: true }), format))
  })

  it('rejects unknown formats with a usage error', () => {
    expect(() => formatResult(emptyResult(), 'xml' as FormatName, { color: false, toolVersion: '1' })).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    )
  })
})
