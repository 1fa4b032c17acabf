/**
 * `variables` as in ValidatingAdmissionPolicy, without a property definition per evaluation.
 * A `VariableSet` is built once per policy (the names and their programs); `bind` makes, per
 * evaluation, one `LazyVariables`: an array of slots, each computed at most once, on its first
 * read. An error is remembered and rethrown on every read, so it surfaces only where the
 * variable is read, as with the getters this replaces.
 *
 * The interpreter reads `variables.<name>` through `read` (cel/compile-access.ts); any other
 * use of `variables` (the whole map, has(), indexing) sees `toObject()`, a plain object with one
 * getter per variable over the same slots, made only when such a use happens.
 */

type Program = ((activation: Readonly<Record<string, unknown>>) => unknown) | undefined

export interface VariableDefinition {
  readonly name: string
  readonly program: Program
}

export class VariableSet {
  readonly names: readonly string[]
  readonly programs: readonly Program[]
  readonly #index = new Map<string, number>()
  /** A name defined twice: binding fails, as defining its getter twice did. */
  #duplicate: string | undefined = undefined

  constructor(definitions: readonly VariableDefinition[]) {
    this.names = definitions.map((d) => d.name)
    this.programs = definitions.map((d) => d.program)
    definitions.forEach((d, i) => {
      if (this.#index.has(d.name)) this.#duplicate ??= d.name
      else this.#index.set(d.name, i)
    })
  }

  /** The slot of `name`, or -1. */
  indexOf(name: string): number {
    return this.#index.get(name) ?? -1
  }

  /** The variables of one evaluation over `activation`. */
  bind(activation: Readonly<Record<string, unknown>>): LazyVariables {
    if (this.#duplicate !== undefined) throw new TypeError(`Cannot redefine property: ${this.#duplicate}`)
    return new LazyVariables(this, activation)
  }
}

/** Not yet computed in this evaluation. */
const UNSET: unique symbol = Symbol('unset variable')

/** A variable whose evaluation threw. */
class Failed {
  constructor(readonly error: unknown) {}
}

export class LazyVariables {
  readonly #slots: unknown[]
  #object: Record<string, unknown> | undefined = undefined

  constructor(
    readonly set: VariableSet,
    readonly activation: Readonly<Record<string, unknown>>,
  ) {
    this.#slots = new Array<unknown>(set.programs.length).fill(UNSET)
  }

  /** The value of the variable in slot `i` (computed on first read); throws its error. */
  at(i: number): unknown {
    let v = this.#slots[i]
    if (v === UNSET) {
      try {
        v = this.set.programs[i]?.(this.activation)
      } catch (error) {
        v = new Failed(error)
      }
      // A variable reading itself recursively stores an outcome at each level: the outermost's stays.
      this.#slots[i] = v
    }
    if (v instanceof Failed) throw v.error
    return v
  }

  /** The plain-object view: one enumerable getter per variable, over the same slots. */
  toObject(): Record<string, unknown> {
    if (this.#object !== undefined) return this.#object
    const o: Record<string, unknown> = {}
    const { names } = this.set
    for (let i = 0; i < names.length; i++) {
      const slot = i
      Object.defineProperty(o, names[i] as string, { enumerable: true, get: () => this.at(slot) })
    }
    return (this.#object = o)
  }
}

/** The value of the `variables` identifier used whole: the plain-object view of lazy variables. */
export function wholeVariables(v: unknown): unknown {
  return v instanceof LazyVariables ? v.toObject() : v
}
