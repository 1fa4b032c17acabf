import { describe, expect, it } from 'vitest'
import { formatResult } from '../src/report/index.js'
import { FIXTURE_CWD, FIXTURE_VERSION, fixtureResult } from '../src/report/fixture-result.test-support.js'
import { printedFindings, printedTwice, TRIAL_FORMATS } from '../tools/trial/printed-findings.js'

// `npm run trial` fails on a finding printed twice; its reading of each format is tested here
// on the real formatters, with a result that holds one finding twice (as one base in two
// overlays printed before findings were grouped by source location).
describe('npm run trial: findings printed twice', () => {
  const options = { color: false, toolVersion: FIXTURE_VERSION, cwd: FIXTURE_CWD }
  const clean = fixtureResult()
  const withFile = clean.findings.filter((f) => f.span !== undefined)
  const doubled = { ...clean, findings: [...clean.findings, withFile[0]!] }

  it.each(TRIAL_FORMATS)('%s: reads one key per printed finding, and none twice in a clean report', (format) => {
    const keys = printedFindings(format, formatResult(clean, format, options))
    // markdown lists only the findings that count (not waived); the others print every finding
    expect(keys.length).toBe(
      format === 'markdown' ? clean.findings.filter((f) => !f.waiver && f.span).length : clean.findings.length,
    )
    expect(printedTwice(keys)).toEqual([])
  })

  it.each(TRIAL_FORMATS)('%s: a finding printed twice is found', (format) => {
    expect(printedTwice(printedFindings(format, formatResult(doubled, format, options)))).toHaveLength(1)
  })
})
