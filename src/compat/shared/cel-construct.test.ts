import { describe, expect, it } from 'vitest'
import { celToJs, compileCel } from '../../engine/index.js'
import { rewriteConstructions } from './cel-construct.js'

const evaluate = (expression: string, object: unknown = {}): unknown => {
  const r = compileCel(rewriteConstructions(expression), { variables: ['object'] })
  if (!r.ok) throw new Error(`${r.error.message}: ${rewriteConstructions(expression)}`)
  return celToJs(r.program({ object }))
}

describe('CEL message construction as map literals', () => {
  it('turns nested typed constructions into the JSON they serialise to', () => {
    expect(evaluate('Object{metadata: Object.metadata{labels: {"a": "b"}}}')).toEqual({
      metadata: { labels: { a: 'b' } },
    })
    expect(
      evaluate(
        'Object{spec: Object.spec{containers: object.spec.containers.map(c, Object.spec.containers{name: c.name, image: "r/" + c.image})}}',
        { spec: { containers: [{ name: 'x', image: 'i' }] } },
      ),
    ).toEqual({ spec: { containers: [{ name: 'x', image: 'r/i' }] } })
  })
  it('builds JSON patches, with ternaries and lists inside fields', () => {
    expect(
      evaluate(
        '[JSONPatch{op: "add", path: "/a", value: true ? {"k": [1, 2]} : {}}, JSONPatch{op: "remove", path: "/b"}]',
      ),
    ).toEqual([
      { op: 'add', path: '/a', value: { k: [1, 2] } },
      { op: 'remove', path: '/b' },
    ])
  })
  it('leaves strings, comments, map literals and `in` alone', () => {
    const text = `"Object{a: b}" + 'x{y: z}' // Object{c: d}\n`
    expect(rewriteConstructions(text)).toBe(text)
    expect(rewriteConstructions('"a" in {"a": 1}')).toBe('"a" in {"a": 1}')
    expect(evaluate(`{"k": 'v{w: x}'}.k`)).toBe('v{w: x}')
  })
  it('accepts an empty construction and a leading dot', () => {
    expect(evaluate('Object{}')).toEqual({})
    expect(evaluate('.Object{spec: 1}')).toEqual({ spec: 1 })
  })
})
