import { describe, expect, it } from 'vitest'
import { fromJs, parseModule, RegoProgram, toJson } from './index.js'

function value(src: string, path: string): unknown {
  const p = new RegoProgram([{ file: 'm.rego', module: parseModule(src) }])
  const v = p.evaluate(path.split('.'), undefined, fromJs({}))
  return v === undefined ? undefined : toJson(v)
}

describe('membership with a key, nested without parentheses', () => {
  it('reads `k, v in xs in ys` as `(k, v in xs) in ys`, as OPA does', () => {
    // [2][1] does not exist, so `1, 2 in [2]` is false, and false is in [false, true].
    expect(value('package t\np if {\n  1, 2 in [2] in [false, true]\n}', 't.p')).toBe(true)
    // `0, 2 in [2]` is true, and true is not in [false].
    expect(value('package t\np if {\n  1 == 1\n  0, 2 in [2] in [false]\n}', 't.p')).toBeUndefined()
    expect(value('package t\np if {\n  0, 2 in [2] in [true]\n}', 't.p')).toBe(true)
  })

  it('still reads a key-value membership on its own and in parentheses', () => {
    expect(value('package t\np if {\n  "a", 1 in {"a": 1}\n}', 't.p')).toBe(true)
    expect(value('package t\np if {\n  ("a", 2 in {"a": 1}) in [false]\n}', 't.p')).toBe(true)
  })
})
