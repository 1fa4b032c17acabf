/** Function declarations: overloads with static parameter types, implemented over runtime values. */

/** An implementation over runtime values (see values.ts for the representation). */
export type Impl = (...args: unknown[]) => unknown

/** One overload of a function. For member functions the receiver is params[0]. */
export interface Overload {
  /** Static parameter types; 'dyn' accepts anything. */
  readonly params: readonly string[]
  /** Static result type; an impl whose result is 'double' returns a raw JS number. */
  readonly result: string
  readonly impl: Impl
  /** Charge evaluation cost in proportion to the size of the result (strings, lists). */
  readonly sized?: boolean
  /**
   * Compile-time specialisation when some arguments are constants (undefined = not constant),
   * e.g. compiling a regex literal once. May throw a CelEvalError, reported as a compile error.
   */
  readonly specialize?: (constants: readonly ({ value: unknown } | undefined)[]) => Impl | undefined
}

/** A function name's global and member overloads. */
export interface FunctionDecl {
  readonly global?: readonly Overload[]
  readonly member?: readonly Overload[]
  /** One implementation covering every overload, used when the choice is left to run time. */
  readonly dynamic?: Impl
}

/** Function name -> declaration. Qualified names ('optional.of') are global functions. */
export type FunctionTable = Readonly<Record<string, FunctionDecl>>

/** Declare an overload with a typed implementation. */
export function overload<A extends unknown[]>(
  params: readonly string[],
  result: string,
  impl: (...args: A) => unknown,
  extra: Pick<Overload, 'sized' | 'specialize'> = {},
): Overload {
  return { params, result, impl: impl as unknown as Impl, ...extra }
}

/** Merge function tables, concatenating the overloads of names declared more than once. */
export function mergeTables(tables: readonly FunctionTable[]): Map<string, MergedDecl> {
  const out = new Map<string, MergedDecl>()
  for (const table of tables) {
    for (const [name, decl] of Object.entries(table)) {
      let entry = out.get(name)
      if (entry === undefined) {
        entry = { global: [], member: [] }
        out.set(name, entry)
      }
      entry.global.push(...(decl.global ?? []))
      entry.member.push(...(decl.member ?? []))
      if (decl.dynamic !== undefined) entry.dynamic = decl.dynamic
    }
  }
  return out
}

/** All overloads of one name, from every library. */
export interface MergedDecl {
  global: Overload[]
  member: Overload[]
  dynamic?: Impl
}

/** Is an argument of static type `arg` acceptable for a parameter of type `param`? */
export function accepts(param: string, arg: string): boolean {
  return param === 'dyn' || arg === 'dyn' || param === arg
}
