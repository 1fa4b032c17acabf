import type { ASTNode } from '@marcbachmann/cel-js'
import { arithDyn, arithResultType, concatLists, doubleOp, intOp, negateDyn, type ArithOp } from './arithmetic.js'
import { celEquals, compareStrings, compareValues } from './equality.js'
import { relocate } from './errors.js'
import {
  charge,
  compileError,
  constant,
  dynEv,
  foldIf,
  siteOf,
  type Compiled,
  type Ctx,
  type Ev,
  type Frame,
} from './frame.js'
import { mapHas } from './maps.js'
import { INT64_MIN, negInt } from './numbers.js'
import { isMap, noOverload, unboxDouble } from './runtime-types.js'

/** Binary and unary operators, specialised on static operand types where known. */

type BinaryNode = ASTNode & { args: [ASTNode, ASTNode] }

/** Compile an arithmetic operator. */
export function compileArith(op: ArithOp, node: BinaryNode, ctx: Ctx): Compiled {
  const l = ctx.compile(node.args[0])
  const r = ctx.compile(node.args[1])
  const type = arithResultType(op, l.type, r.type)
  if (type === undefined)
    throw compileError(`no matching overload for '_${op}_' applied to (${l.type}, ${r.type})`, node)
  const site = siteOf(node)
  const A = l.ev
  const B = r.ev
  let ev: Ev
  if (l.type === 'int' && r.type === 'int') {
    const fn = intOp(op)
    ev = (f) => {
      try {
        return fn(A(f) as number, B(f) as number)
      } catch (error) {
        throw relocate(error, site)
      }
    }
  } else if (l.type === 'double' && r.type === 'double') {
    const fn = doubleOp(op)
    ev = (f) => fn(A(f) as number, B(f) as number)
  } else if (op === '+' && l.type === 'string' && r.type === 'string') {
    ev = (f) => {
      const a = A(f) as string
      const b = B(f) as string
      // Paid before the string exists, so a doubling chain stops before it eats memory.
      const units = (a.length + b.length) >> 2
      if (units > 0) charge(f, units)
      return a + b
    }
  } else {
    const DA = dynEv(l)
    const DB = dynEv(r)
    const unbox = type === 'double'
    const concat = op === '+'
    ev = (f) => {
      const a = DA(f)
      const b = DB(f)
      if (concat && Array.isArray(a) && Array.isArray(b)) {
        // List concatenation, the common dyn `+` in policies: no operator dispatch.
        if (a.length + b.length > 0) charge(f, a.length + b.length)
        return concatLists(a, b)
      }
      if (concat) chargeConcat(f, a, b)
      let v: unknown
      try {
        v = arithDyn(op, a, b)
      } catch (error) {
        throw relocate(error, site)
      }
      return unbox ? unboxDouble(v) : v
    }
  }
  // A list sum holds the elements of both lists: activation data when theirs are.
  const items = op === '+' && elementsAreData(l) && elementsAreData(r)
  const c = foldIf(l.constant && r.constant, { ev, type, constant: false, items })
  return items && c.items !== true ? { ...c, items } : c
}

/** When the value is a list, are its elements activation data? */
export function elementsAreData(c: Compiled): boolean {
  return c.json === true || c.items === true
}

/**
 * Charge a concatenation by the size of its result before it is built: a list element per
 * unit, four characters per unit (see cel/eval-budget.ts).
 */
function chargeConcat(f: Frame, a: unknown, b: unknown): void {
  let units = 0
  if (Array.isArray(a) && Array.isArray(b)) units = a.length + b.length
  else if (typeof a === 'string' && typeof b === 'string') units = (a.length + b.length) >> 2
  if (units > 0) charge(f, units)
}

/** Compile `-x`. A literal 9223372036854775808 is allowed only here, to spell int64's minimum. */
export function compileNegate(node: ASTNode & { args: ASTNode }, ctx: Ctx): Compiled {
  const child = node.args
  if (child.op === 'value' && typeof child.args === 'bigint') {
    const v = -child.args
    if (v === INT64_MIN) return constant(v, 'int')
  }
  const c = ctx.compile(child)
  const A = c.ev
  const site = siteOf(node)
  let ev: Ev
  if (c.type === 'int') ev = (f) => negInt(A(f) as number)
  else if (c.type === 'double') ev = (f) => -(A(f) as number)
  else if (c.type === 'dyn') ev = (f) => negateDyn(A(f))
  else throw compileError(`no matching overload for '-_' applied to (${c.type})`, node)
  const located: Ev = (f) => {
    try {
      return ev(f)
    } catch (error) {
      throw relocate(error, site)
    }
  }
  return foldIf(c.constant, { ev: located, type: c.type, constant: false })
}

const ORDERED = new Set([
  'int',
  'uint',
  'double',
  'string',
  'bool',
  'bytes',
  'google.protobuf.Duration',
  'google.protobuf.Timestamp',
])
const NUMERIC = new Set(['int', 'uint', 'double'])
type CompareOp = '<' | '<=' | '>' | '>='

const TESTS: Record<CompareOp, (c: number) => boolean> = {
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
}

function rawCompare(op: CompareOp): (a: unknown, b: unknown) => boolean {
  switch (op) {
    case '<':
      return (a, b) => (a as number) < (b as number)
    case '<=':
      return (a, b) => (a as number) <= (b as number)
    case '>':
      return (a, b) => (a as number) > (b as number)
    case '>=':
      return (a, b) => (a as number) >= (b as number)
  }
}

/** Compile `<`, `<=`, `>`, `>=`. Numbers compare across int, uint and double. */
export function compileCompare(op: CompareOp, node: BinaryNode, ctx: Ctx): Compiled {
  const l = ctx.compile(node.args[0])
  const r = ctx.compile(node.args[1])
  const lt = l.type
  const rt = r.type
  const comparable =
    lt === 'dyn' || rt === 'dyn' || (NUMERIC.has(lt) && NUMERIC.has(rt)) || (lt === rt && ORDERED.has(lt))
  if (!comparable) throw compileError(`no matching overload for '_${op}_' applied to (${lt}, ${rt})`, node)
  const A = l.ev
  const B = r.ev
  const test = TESTS[op]
  const raw = rawCompare(op)
  const name = `_${op}_`
  const site = siteOf(node)
  let ev: Ev
  // int and double are raw JS numbers or bigints, which JS compares exactly.
  const rawNumber = (t: string): boolean => t === 'int' || t === 'double'
  if (rawNumber(lt) && rawNumber(rt)) ev = (f) => raw(A(f), B(f))
  else if (lt === 'string' && rt === 'string') ev = (f) => test(compareStrings(A(f) as string, B(f) as string))
  else if (rawNumber(rt) && lt === 'dyn') {
    const DA = l.ev
    ev = (f) => {
      const a = DA(f)
      const b = B(f)
      if (typeof a === 'number') return raw(a, b)
      try {
        return test(compareValues(a, b, name))
      } catch (error) {
        throw relocate(error, site)
      }
    }
  } else {
    const DA = dynEv(l)
    const DB = dynEv(r)
    ev = (f) => {
      try {
        return test(compareValues(DA(f), DB(f), name))
      } catch (error) {
        throw relocate(error, site)
      }
    }
  }
  return foldIf(l.constant && r.constant, { ev, type: 'bool', constant: false })
}

/** Compile `==` and `!=`: never a type error, values of different types are unequal. */
export function compileEquality(negate: boolean, node: BinaryNode, ctx: Ctx): Compiled {
  let l = ctx.compile(node.args[0])
  let r = ctx.compile(node.args[1])
  if (l.constant && !r.constant) [l, r] = [r, l]
  const A = l.ev
  let eq: Ev
  const k = r.value
  if (r.constant && (typeof k === 'string' || typeof k === 'boolean')) {
    // A string or bool equals only the identical string or bool.
    eq = (f) => A(f) === k
  } else if (r.constant && k === null) {
    eq = (f) => {
      const v = A(f)
      return v === null || v === undefined
    }
  } else if (r.constant && typeof k === 'number' && (r.type === 'int' || r.type === 'double')) {
    eq = (f) => {
      const v = A(f)
      if (v === k) return true
      return typeof v === 'object' || typeof v === 'bigint' ? celEquals(v, k) : false
    }
  } else if ((l.type === 'string' && r.type === 'string') || (l.type === 'bool' && r.type === 'bool')) {
    const B = r.ev
    eq = (f) => A(f) === B(f)
  } else {
    const DA = dynEv(l)
    const DB = dynEv(r)
    eq = (f) => celEquals(DA(f), DB(f))
  }
  const ev: Ev = negate ? (f) => !eq(f) : eq
  return foldIf(l.constant && r.constant, { ev, type: 'bool', constant: false })
}

/** Compile `x in list` and `key in map`. */
export function compileIn(node: BinaryNode, ctx: Ctx): Compiled {
  const l = ctx.compile(node.args[0])
  const r = ctx.compile(node.args[1])
  if (r.type !== 'dyn' && r.type !== 'list' && r.type !== 'map') {
    throw compileError(`no matching overload for '@in' applied to (${l.type}, ${r.type})`, node)
  }
  const A = dynEv(l)
  const site = siteOf(node)
  const list = r.value
  let ev: Ev
  if (r.constant && Array.isArray(list) && list.length === 0) {
    // Nothing is in an empty list; the element is still evaluated, for its errors.
    ev = (f) => {
      A(f)
      return false
    }
  } else if (r.constant && Array.isArray(list) && list.every((x) => typeof x === 'string')) {
    const set = new Set(list as string[])
    ev = (f) => {
      const v = A(f)
      return typeof v === 'string' && set.has(v)
    }
  } else {
    const B = r.ev
    ev = (f) => {
      const v = A(f)
      const c = B(f)
      if (Array.isArray(c)) {
        // A string or bool equals only itself (CEL equality is heterogeneous): a plain search.
        if (typeof v === 'string' || typeof v === 'boolean') return c.includes(v)
        for (let i = 0; i < c.length; i++) if (celEquals(v, c[i])) return true
        return false
      }
      if (isMap(c)) return mapHas(c, v)
      throw noOverload('@in', [v, c]).locate(site.start, site.end)
    }
  }
  return foldIf(l.constant && r.constant, { ev, type: 'bool', constant: false })
}
