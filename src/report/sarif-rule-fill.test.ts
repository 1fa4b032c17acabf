import { describe, expect, it } from 'vitest'
import { verdictOf } from '../core/index.js'
import { fixtureResult, FIXTURE_CWD, FIXTURE_VERSION } from './fixture-result.test-support.js'
import { formatSarifChunks, formatSarifReport, sarifResultsText } from './index.js'
import { sortFindings } from './ordering.js'
import { fillRuleIndexes } from './sarif-rule-fill.js'
import type { FormatOptions } from './types.js'

const options: FormatOptions = { color: false, toolVersion: FIXTURE_VERSION, cwd: FIXTURE_CWD }
const MARK = (n: string): string => `"ruleIndex": "\\u0000rule:${n}\\u0000"`

describe('fillRuleIndexes', () => {
  it('fills every marker on the bytes, multi-byte text around them kept, look-alikes left as they are', () => {
    const text = [
      `{ "message": "é✓𝄞", ${MARK('2')},`,
      `${MARK('0')}${MARK('10')}`,
      `"ruleIndex": "\\u0000rule:\\u0000" "ruleIndex": "\\u0000rule:3x" "ruleIndex": "\\u0000rule:-1\\u0000"`,
      `✓ ${MARK('1')}`,
    ].join('\n')
    const byOrder = [7, 0, 12, 5, 5, 5, 5, 5, 5, 5, 3]
    const filled = fillRuleIndexes(Buffer.from(text, 'utf8'), byOrder).toString('utf8')
    expect(filled).toBe(
      [
        `{ "message": "é✓𝄞", "ruleIndex": 12,`,
        `"ruleIndex": 7"ruleIndex": 3`,
        `"ruleIndex": "\\u0000rule:\\u0000" "ruleIndex": "\\u0000rule:3x" "ruleIndex": "\\u0000rule:-1\\u0000"`,
        `✓ "ruleIndex": 0`,
      ].join('\n'),
    )
  })

  it('returns the bytes untouched when there is no marker, and a marker cut at the end stays', () => {
    const text = `plain ✓ "ruleIndex": "\\u0000rule:4`
    expect(fillRuleIndexes(Buffer.from(text), [1, 2, 3, 4, 5]).toString()).toBe(text)
  })

  it('gives formatSarifReport the same bytes from spooled bytes as from text and as the whole result', () => {
    const result = fixtureResult()
    const findings = sortFindings(result.findings)
    const ids = [...result.policies.keys()]
    const order = new Map(ids.map((id, i) => [id, i]))
    const half = Math.ceil(findings.length / 2)
    const texts = [findings.slice(0, half), findings.slice(half)].map((f) => sarifResultsText(f, order, FIXTURE_CWD))
    expect(texts.join('')).toContain('rule:')
    const parts = {
      diagnostics: result.diagnostics,
      policies: result.policies,
      verdict: verdictOf(result.findings, result.diagnostics, options),
      policiesWithFindings: new Set(findings.map((f) => f.policyId)),
      findingCount: findings.length,
    }
    const whole = [...formatSarifChunks(result, options)].join('')
    const fromText = [...formatSarifReport({ ...parts, resultsText: [texts.join(',\n')] }, options)].join('')
    const bytes = [Buffer.from(`${texts[0]},\n`), Buffer.from(texts[1] as string)]
    const fromBytes = Buffer.concat(
      [...formatSarifReport({ ...parts, resultsText: bytes }, options)].map((p) =>
        typeof p === 'string' ? Buffer.from(p) : p,
      ),
    ).toString()
    expect(fromText).toBe(whole)
    expect(fromBytes).toBe(whole)
  })
})
