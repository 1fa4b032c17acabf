import type { ASTNode } from '@marcbachmann/cel-js'
import type { Site } from './errors.js'
import { compileError, dynEv, foldIf, siteOf, UNSET, type Compiled, type Ctx, type Ev } from './frame.js'
import { INHERITED_NAMES } from './maps.js'
import { compileInlineVariable } from './inline-variables.js'
import { LazyVariables, type VariableSet } from './lazy-variables.js'
import { memoPrefix } from './path-memo.js'
import { hasField, indexValue, noSuchKey, notPlain, optionalIndex, presentSelect, selectSlow } from './select.js'

/** Field selection, indexing, optional access and has(), compiled to closures. */

type SelectNode = ASTNode & { op: '.' | '.?'; args: [ASTNode, string] }
type IndexNode = ASTNode & { op: '[]' | '[?]'; args: [ASTNode, ASTNode] }

const SELECTABLE = new Set(['dyn', 'map', 'optional_type'])
const INDEXABLE = new Set(['dyn', 'map', 'list', 'optional_type'])

const RESERVED = new Set([
  'as',
  'break',
  'const',
  'continue',
  'else',
  'false',
  'for',
  'function',
  'if',
  'import',
  'in',
  'let',
  'loop',
  'package',
  'namespace',
  'null',
  'return',
  'true',
  'var',
  'void',
  'while',
])

/**
 * Kubernetes escapes property names that are not CEL identifiers: `__dash__` for '-',
 * `__dot__`, `__slash__`, `__underscores__`, and `__{keyword}__` for reserved words.
 */
export function unescapeProperty(name: string): string | undefined {
  if (!name.includes('__')) return undefined
  const keyword = /^__([a-z]+)__$/.exec(name)?.[1]
  if (keyword !== undefined && RESERVED.has(keyword)) return keyword
  const out = name.replace(/__(underscores|dot|dash|slash)__/g, (_, w: string) =>
    w === 'underscores' ? '__' : w === 'dot' ? '.' : w === 'dash' ? '-' : '/',
  )
  return out === name ? undefined : out
}

/** A plain field name: safe for the fast path (not inherited from Object.prototype, no escapes). */
function plainName(name: string): boolean {
  return !INHERITED_NAMES.has(name) && unescapeProperty(name) === undefined
}

function checkSelectable(c: Compiled, node: ASTNode): void {
  if (!SELECTABLE.has(c.type)) throw compileError(`type '${c.type}' does not support field selection`, node)
}

/** The fast path for one step: a plain object that holds the key. */
function step(o: unknown, key: string, site: Site): unknown {
  if (typeof o === 'object' && o !== null) {
    const v = (o as Record<string, unknown>)[key]
    if (v !== undefined && !notPlain(o)) return v
  }
  return selectSlow(o, key, site)
}

/** The fast path for activation data: no CEL wrapper can occur, so only lists are excluded. */
function stepJson(o: unknown, key: string, site: Site): unknown {
  if (typeof o === 'object' && o !== null) {
    const v = (o as Record<string, unknown>)[key]
    if (v !== undefined && !Array.isArray(o)) return v
  }
  return selectSlow(o, key, site)
}

/**
 * Compile `a.b.c...`: consecutive plain selections are fused into one closure that
 * walks the path, so a deep field read costs one call instead of one per step.
 */
export function compileSelect(node: SelectNode, ctx: Ctx): Compiled {
  const keys: string[] = []
  const sites: Site[] = []
  let cur: ASTNode = node
  while (cur.op === '.' && plainName((cur as SelectNode).args[1]) && keys.length < 16) {
    const sel = cur as SelectNode
    keys.unshift(sel.args[1])
    sites.unshift(siteOf(sel))
    cur = sel.args[0]
  }
  if (keys.length === 0) return compileOddSelect(node, ctx)
  const root = ctx.compile(cur)
  checkSelectable(root, cur)
  const type = root.type === 'optional_type' ? 'optional_type' : 'dyn'
  if (root.json !== true && cur.op === 'id' && cur.args === VARIABLES && !ctx.isLocal(cur.args)) {
    // `variables.x...`: the composition variable is read once per evaluation (its getter is no
    // cheap field read), and is activation data when the caller said so.
    const inlined = compileInlineVariable(ctx, keys[0] as string, sites[0] as Site)
    if (inlined !== undefined) {
      // Typed dyn as a read through the activation is: the reader compiles as it did without inlining.
      if (keys.length === 1) return { ...inlined, ev: dynEv(inlined), type: 'dyn' }
      const json = inlined.json === true
      const rest = chain(dynEv(inlined), keys.slice(1), sites.slice(1), json)
      return foldIf(inlined.constant, { ev: rest, type: 'dyn', constant: false, json })
    }
    const data = ctx.dataFields.has(keys[0] as string)
    const first = memoVariable(ctx, keys[0] as string, readVariable(root.ev, keys[0] as string, sites[0] as Site))
    const ev = keys.length === 1 ? first : chain(first, keys.slice(1), sites.slice(1), data)
    return { ev, type, constant: false, json: data }
  }
  const json = root.json === true
  let ev: Ev | undefined
  if (json && cur.op === 'id' && !ctx.isLocal(cur.args)) {
    const m = memoPrefix(ctx.memo, ctx, cur.args, keys, (n) =>
      chain(root.ev, keys.slice(0, n), sites.slice(0, n), true),
    )
    if (m !== undefined) ev = m[0] === keys.length ? m[1] : chain(m[1], keys.slice(m[0]), sites.slice(m[0]), true)
  }
  if (ev === undefined && json && root.slot !== undefined && keys.length <= 2) {
    // A path from a comprehension variable: read the slot inline.
    const slot = root.slot
    const [k0, k1] = keys as [string, string | undefined]
    const [s0, s1] = sites as [Site, Site | undefined]
    ev =
      k1 === undefined
        ? (f) => stepJson(f.slots[slot], k0, s0)
        : (f) => stepJson(stepJson(f.slots[slot], k0, s0), k1, s1 as Site)
  }
  ev ??= chain(root.ev, keys, sites, json)
  return foldIf(root.constant, { ev, type, constant: false, json })
}

const VARIABLES = 'variables'

/** `variables.name` read through a frame slot, reset when the program starts (see path-memo.ts). */
/**
 * `variables.<name>` read from the slots of a `LazyVariables` when the activation holds one
 * (no getter, no plain-object view); otherwise a plain step from `whole` (the identifier's value).
 */
function readVariable(whole: Ev, name: string, site: Site): Ev {
  let set: VariableSet | undefined
  let slot = -1
  return (f) => {
    const o = f.act[VARIABLES]
    if (!(o instanceof LazyVariables)) return step(whole(f), name, site)
    if (o.set !== set) {
      set = o.set
      slot = set.indexOf(name)
    }
    return slot >= 0 ? o.at(slot) : step(o.toObject(), name, site)
  }
}

function memoVariable(ctx: Ctx, name: string, read: Ev): Ev {
  const key = `${VARIABLES}.${name}`
  let slot = ctx.memo.slots.get(key)
  if (slot === undefined) {
    slot = ctx.slotCount++
    ctx.memo.slots.set(key, slot)
  }
  const s = slot
  return (f) => {
    const v = f.slots[s]
    if (v !== UNSET) return v
    return (f.slots[s] = read(f))
  }
}

/** A closure walking `keys` from the value of R. */
function chain(R: Ev, keys: readonly string[], sites: readonly Site[], json: boolean): Ev {
  if (keys.length === 1) {
    const k0 = keys[0] as string
    const s0 = sites[0] as Site
    return json ? (f) => stepJson(R(f), k0, s0) : (f) => step(R(f), k0, s0)
  }
  if (keys.length === 2) {
    const [k0, k1] = keys as [string, string]
    const [s0, s1] = sites as [Site, Site]
    return json ? (f) => stepJson(stepJson(R(f), k0, s0), k1, s1) : (f) => step(step(R(f), k0, s0), k1, s1)
  }
  const n = keys.length
  const walk = json ? stepJson : step
  return (f) => {
    let o = R(f)
    for (let i = 0; i < n; i++) o = walk(o, keys[i] as string, sites[i] as Site)
    return o
  }
}

/** A selection whose name needs care: inherited from Object.prototype, or Kubernetes-escaped. */
function compileOddSelect(node: SelectNode, ctx: Ctx): Compiled {
  const operand = ctx.compile(node.args[0])
  checkSelectable(operand, node.args[0])
  const A = operand.ev
  const key = node.args[1]
  const alt = unescapeProperty(key)
  const site = siteOf(node)
  const ev: Ev = (f) => {
    const o = A(f)
    if (typeof o === 'object' && o !== null && !notPlain(o)) {
      if (alt !== undefined && Object.hasOwn(o, alt)) return (o as Record<string, unknown>)[alt]
      if (Object.hasOwn(o, key) && (o as Record<string, unknown>)[key] !== undefined)
        return (o as Record<string, unknown>)[key]
      throw noSuchKey(key, site)
    }
    return selectSlow(o, key, site)
  }
  const type = operand.type === 'optional_type' ? 'optional_type' : 'dyn'
  return foldIf(operand.constant, { ev, type, constant: false, json: operand.json === true })
}

/** Compile `a.?b`. */
export function compileOptionalSelect(node: SelectNode, ctx: Ctx): Compiled {
  const operand = ctx.compile(node.args[0])
  checkSelectable(operand, node.args[0])
  const A = operand.ev
  const key = node.args[1]
  const alt = unescapeProperty(key)
  const site = siteOf(node)
  const ev: Ev =
    alt === undefined
      ? (f) => presentSelect(A(f), key, site)
      : (f) => {
          const o = A(f)
          const v = presentSelect(o, alt, site)
          return v.present ? v : presentSelect(o, key, site)
        }
  return foldIf(operand.constant, { ev, type: 'optional_type', constant: false })
}

/** Compile `a[k]` and `a[?k]`. */
export function compileIndex(node: IndexNode, ctx: Ctx): Compiled {
  const operand = ctx.compile(node.args[0])
  if (!INDEXABLE.has(operand.type)) throw compileError(`type '${operand.type}' does not support indexing`, node.args[0])
  const index = ctx.compile(node.args[1])
  const A = operand.ev
  const K = dynEv(index)
  const site = siteOf(node)
  const optional = node.op === '[?]'
  let ev: Ev
  if (optional) ev = (f) => optionalIndex(A(f), K(f), site)
  else if (index.constant && typeof index.value === 'string' && plainName(index.value)) {
    const key = index.value
    ev = (f) => {
      const o = A(f)
      if (typeof o === 'object' && o !== null) {
        const v = (o as Record<string, unknown>)[key]
        if (v !== undefined && !notPlain(o)) return v
      }
      return indexValue(o, key, site)
    }
  } else ev = (f) => indexValue(A(f), K(f), site)
  const type = optional || operand.type === 'optional_type' ? 'optional_type' : 'dyn'
  return foldIf(operand.constant && index.constant, {
    ev,
    type,
    constant: false,
    json: !optional && operand.json === true,
  })
}

/** Compile the has() macro: `has(a.b)` tests presence of `b` in `a`. */
export function compileHas(args: readonly ASTNode[], node: ASTNode, ctx: Ctx): Compiled {
  const arg = args[0]
  if (args.length !== 1 || arg === undefined || arg.op !== '.')
    throw compileError('invalid argument to has() macro', node)
  const sel = arg as SelectNode
  const operand = ctx.compile(sel.args[0])
  checkSelectable(operand, sel.args[0])
  const A = operand.ev
  const key = sel.args[1]
  const alt = unescapeProperty(key)
  const site = siteOf(sel)
  let ev: Ev
  if (alt === undefined && !INHERITED_NAMES.has(key) && operand.json === true && operand.slot !== undefined) {
    const slot = operand.slot
    ev = (f) => {
      const o = f.slots[slot]
      if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
        const v = (o as Record<string, unknown>)[key]
        return v !== undefined && v !== null
      }
      return hasField(o, key, site)
    }
  } else if (alt === undefined && !INHERITED_NAMES.has(key) && operand.json === true) {
    ev = (f) => {
      const o = A(f)
      if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
        const v = (o as Record<string, unknown>)[key]
        return v !== undefined && v !== null
      }
      return hasField(o, key, site)
    }
  } else if (alt === undefined && !INHERITED_NAMES.has(key)) {
    ev = (f) => {
      const o = A(f)
      if (typeof o === 'object' && o !== null && !notPlain(o)) {
        const v = (o as Record<string, unknown>)[key]
        return v !== undefined && v !== null
      }
      return hasField(o, key, site)
    }
  } else {
    ev = (f) => {
      const o = A(f)
      return (alt !== undefined && hasField(o, alt, site)) || hasField(o, key, site)
    }
  }
  return foldIf(operand.constant, { ev, type: 'bool', constant: false })
}
