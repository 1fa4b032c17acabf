import type { ASTNode } from '@marcbachmann/cel-js'
import { evalError } from './errors.js'
import { compileError, constant, dynEv, foldIf, siteOf, type Compiled, type Ctx, type Ev } from './frame.js'
import { emptyObject } from './maps.js'
import { INT64_MAX, normInt } from './numbers.js'
import { typeOf } from './runtime-types.js'
import { CelBytes, CelMap, CelUint } from './values.js'

/** Literals, list literals and map literals. */

/** Compile a literal value node (the parser gives ints as bigint, doubles as number, uints boxed). */
export function compileLiteral(node: ASTNode & { op: 'value' }): Compiled {
  const v: unknown = node.args
  switch (typeof v) {
    case 'bigint':
      if (v > INT64_MAX) throw compileError('integer literal out of range', node)
      return constant(normInt(v), 'int')
    case 'number':
      return constant(v, 'double')
    case 'string':
      return constant(v, 'string')
    case 'boolean':
      return constant(v, 'bool')
    default:
      if (v === null) return constant(null, 'null_type')
      if (v instanceof Uint8Array) return constant(new CelBytes(v), 'bytes')
      if (typeof v === 'object' && typeof (v as { value?: unknown }).value === 'bigint') {
        return constant(new CelUint((v as { value: bigint }).value), 'uint')
      }
      throw compileError(`unsupported literal`, node)
  }
}

/** Compile `[a, b, ...]`. */
export function compileList(node: ASTNode & { op: 'list' }, ctx: Ctx): Compiled {
  const items = node.args.map((n) => ctx.compile(n))
  const evs = items.map(dynEv)
  const n = evs.length
  const ev: Ev = (f) => {
    const out = new Array<unknown>(n)
    for (let i = 0; i < n; i++) out[i] = (evs[i] as Ev)(f)
    return out
  }
  // A list of activation data and of string, bool and null literals is activation data itself.
  const json = items.every((i) => i.json === true || (i.constant && plainLiteral(i.value)))
  const c = foldIf(
    items.every((i) => i.constant),
    { ev, type: 'list', constant: false, json },
  )
  if (c.constant) Object.freeze(c.value)
  return json && c.json !== true ? { ...c, json } : c
}

function plainLiteral(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'boolean' || v === null
}

const KEY_TYPES = new Set(['string', 'int', 'uint', 'bool'])

/** Compile `{k: v, ...}`: string-keyed maps become plain objects, others a CelMap. */
export function compileMap(node: ASTNode & { op: 'map' }, ctx: Ctx): Compiled {
  const entries = node.args.map(([k, v]) => [ctx.compile(k), ctx.compile(v), k] as const)
  for (const [k, , kn] of entries) {
    if (k.type !== 'dyn' && !KEY_TYPES.has(k.type)) throw compileError(`unsupported map key type: ${k.type}`, kn)
  }
  const keys = entries.map(([k]) => k.ev)
  const values = entries.map(([, v]) => dynEv(v))
  const site = siteOf(node)
  const repeated = (key: unknown): Error =>
    evalError(`map literal has a repeated key: ${String(key)}`).locate(site.start, site.end)
  let ev: Ev
  if (entries.every(([k]) => k.type === 'string')) {
    ev = (f) => {
      const out = emptyObject()
      for (let i = 0; i < keys.length; i++) {
        const key = (keys[i] as Ev)(f) as string
        if (key in out) throw repeated(key)
        out[key] = (values[i] as Ev)(f)
      }
      return out
    }
  } else {
    ev = (f) => {
      const out = new CelMap()
      for (let i = 0; i < keys.length; i++) {
        const key = (keys[i] as Ev)(f)
        if (!KEY_TYPES.has(typeOf(key)))
          throw evalError(`unsupported map key type: ${typeOf(key)}`).locate(site.start, site.end)
        if (out.has(key)) throw repeated(key)
        out.set(key, (values[i] as Ev)(f))
      }
      return out
    }
  }
  const c = foldIf(
    entries.every(([k, v]) => k.constant && v.constant),
    { ev, type: 'map', constant: false },
  )
  if (c.constant && !(c.value instanceof CelMap)) Object.freeze(c.value)
  return c
}
