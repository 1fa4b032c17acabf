/**
 * A Rego engine of Palisade's own: parser (v0 and v1 syntax), compiler into closures,
 * OPA's evaluation semantics and the built-ins Kubernetes policies use. Pure: no I/O.
 * Evaluation spends from the current evaluation budget (engine/eval-budget.ts).
 */
export { parseModule, parseQuery } from './parser.js'
export { RegoSyntaxError } from './lexer.js'
export { RegoProgram } from './program.js'
export { RegoError, BuiltinError, isRegoError } from './errors.js'
export type { RegoErrorCode } from './errors.js'
export { fromJs, toJson, equal, show, RSet, RObject } from './value.js'
export type { Value } from './value.js'
export type { Module } from './ast.js'
