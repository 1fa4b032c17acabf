import { describe, expect, it } from 'vitest'
import type { Diagnostic, Finding } from '../core/index.js'
import { proofProblems } from './index.js'

const finding = (fingerprint: string, file: string): Finding =>
  ({
    fingerprint,
    policyId: 'p',
    path: '/x',
    message: 'm',
    span: { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } },
  }) as Finding

describe('proofProblems', () => {
  const a = finding('a', 'one.yaml')
  const b = finding('b', 'two.yaml')
  const edited = new Set(['one.yaml', 'two.yaml'])

  it('nothing to say when the fixed findings are gone and nothing is new', () => {
    expect(
      proofProblems({ findings: [a, b], diagnostics: [] }, { findings: [b], diagnostics: [] }, [a], edited).size,
    ).toBe(0)
  })

  it('blames the file of a fixed finding that is still there, and of a new finding', () => {
    const c = finding('c', 'two.yaml')
    const problems = proofProblems(
      { findings: [a, b], diagnostics: [] },
      { findings: [a, b, c], diagnostics: [] },
      [a],
      edited,
    )
    expect([...problems.keys()].sort()).toEqual(['one.yaml', 'two.yaml'])
  })

  it('blames a lost render on the edited template its error names', () => {
    const error: Diagnostic = {
      code: 'RENDER_FAILED',
      message: 'helm template failed: YAML parse error on two.yaml: line 4',
    }
    const problems = proofProblems(
      { findings: [a], diagnostics: [], renders: 2 },
      { findings: [], diagnostics: [error], renders: 1 },
      [a],
      edited,
    )
    expect([...problems.keys()]).toEqual(['two.yaml'])
    expect(problems.get('two.yaml')?.length).toBe(2)
  })
})
