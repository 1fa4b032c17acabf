/** Argument type codes of @jmespath-community/jmespath (its InputArgument enum). */
export const NUMBER = 0
export const ANY = 1
export const STRING = 2
export const ARRAY = 3
export const OBJECT = 4

/** A signature from the accepted types of each argument. */
export const sig = (...types: number[][]): { types: number[] }[] => types.map((t) => ({ types: t }))

/** A custom function body; the interpreter checks argument types against its signature. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- argument types are checked by the interpreter against each signature
export type Fn = (args: any) => unknown
