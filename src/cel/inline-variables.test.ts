import { describe, expect, it } from 'vitest'
import { CelEvalError, compileCel, type CelProgram, type InlineVariable } from './index.js'

/** Composition variables compiled into the expressions that read them (CelCompileOptions.inlineVariables). */

const NAMES = ['object', 'params', 'variables']

function program(expression: string, inline: Record<string, InlineVariable>): CelProgram {
  const r = compileCel(expression, { variables: NAMES, inlineVariables: new Map(Object.entries(inline)) })
  if (!r.ok) throw new Error(r.error.message)
  return r.program
}

/** An activation whose `object` counts how often it is read. */
function counting(object: unknown): { act: Record<string, unknown>; reads: () => number } {
  let n = 0
  const act: Record<string, unknown> = { params: null, variables: {} }
  Object.defineProperty(act, 'object', {
    enumerable: true,
    get: () => {
      n++
      return object
    },
  })
  return { act, reads: () => n }
}

describe('inline variables', () => {
  it('evaluates an inlined expression at most once per run, and afresh on the next run', () => {
    const p = program('size(variables.names) + size(variables.names.filter(n, n != "b"))', {
      names: { expression: 'object.items.map(i, i.name)' },
    })
    const first = counting({ items: [{ name: 'a' }, { name: 'b' }] })
    expect(p(first.act)).toBe(3)
    expect(first.reads()).toBe(1)
    const second = counting({ items: [{ name: 'c' }] })
    expect(p(second.act)).toBe(2)
    expect(second.reads()).toBe(1)
  })

  it('never evaluates a variable the run does not read', () => {
    const p = program('object.ok || variables.names == []', { names: { expression: 'object.nothing' } })
    const { act, reads } = counting({ ok: true })
    expect(p(act)).toBe(true)
    expect(reads()).toBe(1)
  })

  it("compiles a variable's expression without the reader's comprehension variables", () => {
    // `object` inside the variable is the activation's, not the reader's loop variable.
    const p = program('[1, 2].map(object, variables.name)', { name: { expression: 'object.metadata.name' } })
    expect(p({ object: { metadata: { name: 'pod' } }, params: null, variables: {} })).toEqual(['pod', 'pod'])
  })

  it('lets a variable read only the variables declared before it; later ones come from the activation', () => {
    const inline = { a: { expression: 'variables.b + "-a"' }, b: { expression: '"inline-b"' } }
    const p = program('variables.a + "/" + variables.b', inline)
    expect(p({ object: null, params: null, variables: { b: 'activation-b' } })).toBe('activation-b-a/inline-b')
  })

  it('folds what reads a constant variable, as on a literal', () => {
    const p = program('variables.mode == "strict" ? object.x : "relaxed"', { mode: { value: 'relaxed' } })
    // Folded: the activation is not read at all.
    expect(p({ params: null, variables: {} })).toBe('relaxed')
    const strict = program('variables.mode == "strict" ? object.x : "relaxed"', { mode: { value: 'strict' } })
    expect(strict({ object: { x: 1 }, params: null, variables: {} })).toBe(1)
  })

  it('reads a field variable from the activation key the caller sets', () => {
    const p = program('variables.subject.kind', { subject: { field: ' subject' } })
    expect(p({ ' subject': { kind: 'Pod' }, params: null, variables: {} })).toBe('Pod')
  })

  it("names a failing variable's expression in its error, which && and || absorb as any evaluation error", () => {
    const p = program('variables.bad == 1', { bad: { expression: 'object.nothing' } })
    expect(() => p({ object: {}, params: null, variables: {} })).toThrow(
      /variables\.bad \("object\.nothing"\) failed: no such key: nothing/,
    )
    expect(() => p({ object: {}, params: null, variables: {} })).toThrow(CelEvalError)
    const absorbed = program('variables.bad == 1 || true', { bad: { expression: 'object.nothing' } })
    expect(absorbed({ object: {}, params: null, variables: {} })).toBe(true)
  })

  it('keeps reads of variables it does not inline, and has(variables.x), on the activation', () => {
    const p = program('has(variables.x) && variables.y == 2', { x: { value: 1 } })
    expect(p({ params: null, variables: { x: 1, y: 2 } })).toBe(true)
    expect(p({ params: null, variables: { y: 2 } })).toBe(false)
  })

  it('folds comprehensions over a variable known empty, keeping their compile errors, and `in` keeps its errors', () => {
    const empty = { none: { value: [] } }
    const act = { object: { name: 'a' }, params: null, variables: {} }
    expect(program('variables.none.all(x, x.nothing == 1)', empty)(act)).toBe(true)
    expect(program('variables.none.exists(x, object.name.startsWith(x))', empty)(act)).toBe(false)
    expect(program('variables.none.exists_one(x, true)', empty)(act)).toBe(false)
    expect(program('variables.none.map(x, x + 1) == [] && variables.none.filter(x, x) == []', empty)(act)).toBe(true)
    expect(
      compileCel('variables.none.all(x, 1)', { variables: NAMES, inlineVariables: new Map(Object.entries(empty)) }),
    ).toMatchObject({ ok: false })
    expect(program('object.name in variables.none', empty)(act)).toBe(false)
    expect(() => program('object.nothing in variables.none', empty)(act)).toThrow(/no such key: nothing/)
  })
})
