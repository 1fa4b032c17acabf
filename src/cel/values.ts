/**
 * Runtime representation of CEL values (see README.md):
 *   bool, string, null      -> JS boolean, string, null
 *   int                     -> JS number (integral) or bigint (outside the safe-integer range)
 *   double                  -> JS number; an integral double in a dyn position is boxed as CelDouble
 *   list / map              -> JS array / plain object (string keys) or CelMap (other keys)
 *   everything else         -> a subclass of CelValue
 */
export abstract class CelValue {
  /** The CEL type name, as `type(x)` reports it. */
  abstract get celType(): string
  /** CEL equality with another value of any type. */
  /** CEL equality with another value; `elementEquals` compares what it holds (CEL's equality, passed in by equality.ts). */
  abstract equals(other: unknown, elementEquals: (a: unknown, b: unknown) => boolean): boolean
  /** Plain JSON-ish form for messages. */
  abstract toJs(): unknown
  /** Ordering against a value of the same type (-1, 0, 1), or undefined when not ordered. */
  compareTo(_other: unknown): number | undefined {
    return undefined
  }
}

/** An unsigned 64-bit integer. */
export class CelUint extends CelValue {
  constructor(readonly value: bigint) {
    super()
  }
  get celType(): string {
    return 'uint'
  }
  equals(other: unknown): boolean {
    return other instanceof CelUint && other.value === this.value
  }
  toJs(): unknown {
    return this.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(this.value) : this.value.toString()
  }
}

/** A double whose value is integral, kept apart from ints where the static type is lost. */
export class CelDouble extends CelValue {
  constructor(readonly value: number) {
    super()
  }
  get celType(): string {
    return 'double'
  }
  equals(other: unknown): boolean {
    return other instanceof CelDouble && other.value === this.value
  }
  toJs(): unknown {
    return this.value
  }
}

/** A byte string. */
export class CelBytes extends CelValue {
  constructor(readonly bytes: Uint8Array) {
    super()
  }
  get celType(): string {
    return 'bytes'
  }
  equals(other: unknown): boolean {
    if (!(other instanceof CelBytes) || other.bytes.length !== this.bytes.length) return false
    for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] !== other.bytes[i]) return false
    return true
  }
  toJs(): unknown {
    return Buffer.from(this.bytes).toString('base64')
  }
}

/** A type value (`int`, `string`, `type(x)`, ...). One instance per name. */
export class CelType extends CelValue {
  private static readonly known = new Map<string, CelType>()
  private constructor(readonly name: string) {
    super()
  }
  /** The unique type value with this name. */
  static of(name: string): CelType {
    let t = CelType.known.get(name)
    if (t === undefined) {
      t = new CelType(name)
      CelType.known.set(name, t)
    }
    return t
  }
  get celType(): string {
    return 'type'
  }
  equals(other: unknown): boolean {
    return other === this
  }
  toJs(): unknown {
    return this.name
  }
}

/** An optional value: `optional.of(x)` or `optional.none()`. */
export class CelOptional extends CelValue {
  static readonly NONE = new CelOptional(false, undefined)
  private constructor(
    readonly present: boolean,
    readonly value: unknown,
  ) {
    super()
  }
  /** optional.of(value) */
  static of(value: unknown): CelOptional {
    return new CelOptional(true, value)
  }
  get celType(): string {
    return 'optional_type'
  }
  equals(other: unknown, elementEquals: (a: unknown, b: unknown) => boolean): boolean {
    return (
      other instanceof CelOptional &&
      other.present === this.present &&
      (!this.present || elementEquals(this.value, other.value))
    )
  }
  toJs(): unknown {
    return this.present ? toJsValue(this.value) : null
  }
}

/**
 * A map whose keys are not all strings. Keys are stored under a canonical JS key
 * (numbers for int/uint, so `m[1] == m[1u]`), with the original key kept for iteration.
 */
export class CelMap extends CelValue {
  readonly entries = new Map<unknown, readonly [unknown, unknown]>()
  get celType(): string {
    return 'map'
  }
  get size(): number {
    return this.entries.size
  }
  /** Look up a key; undefined when absent. */
  get(key: unknown): unknown {
    return this.entries.get(mapKey(key))?.[1]
  }
  has(key: unknown): boolean {
    return this.entries.has(mapKey(key))
  }
  set(key: unknown, value: unknown): void {
    this.entries.set(mapKey(key), [key, value])
  }
  keys(): unknown[] {
    return [...this.entries.values()].map((e) => e[0])
  }
  equals(other: unknown, elementEquals: (a: unknown, b: unknown) => boolean): boolean {
    return elementEquals(this, other)
  }
  toJs(): unknown {
    const out: Record<string, unknown> = {}
    for (const [key, value] of this.entries.values())
      out[String(key instanceof CelValue ? key.toJs() : key)] = toJsValue(value)
    return out
  }
}

/**
 * Canonical JS key for a CEL map key: strings and bools as they are, numeric keys
 * as a number (or bigint beyond the safe range) so int, uint and integral double agree.
 */
export function mapKey(key: unknown): unknown {
  if (key instanceof CelUint) return key.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(key.value) : key.value
  if (key instanceof CelDouble) return key.value
  return key
}

/** Convert a CEL value to plain JSON-ish JS (see celToJs). */
export function toJsValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value
  if (value instanceof CelValue) return value.toJs()
  if (Array.isArray(value)) return value.map(toJsValue)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) out[key] = toJsValue((value as Record<string, unknown>)[key])
  return out
}
