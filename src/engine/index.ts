/**
 * The policy engine: policies as data, compiled once (CEL to closures), evaluated many
 * times over plain objects. No I/O, no YAML: it reports JSON Pointers, and the pipeline
 * turns them into file positions.
 */
export { definePolicy, ALL_CONTAINERS } from './policy-spec.js'
export type {
  PolicySpec,
  MatchSpec,
  RuleSpec,
  ForEachSpec,
  FixSpec,
  ParamSpec,
  Category,
  NativeCheck,
  NativeSetCheck,
  NativeViolation,
  NativeContext,
  PartRole,
  HeaderRole,
} from './policy-spec.js'
export type { CompiledPolicy, EvalContext, PolicyOutcome, PolicyInfo } from './types.js'
export { compilePolicy, VAP_VARIABLES } from './compile-policy.js'
export type { CompileOptions } from './compile-policy.js'
export { compilePolicySet, indexPolicies, evaluate, syntheticRequest, type CompileSetOptions } from './policy-set.js'
export type { CompiledPolicySet, Evaluation } from './policy-set.js'
export { NONE, selectPolicies } from './select.js'
export type { Selectable } from './select.js'
export { podTemplateTarget, POD_CONTROLLER_KINDS } from './pod-templates.js'
export type { Target } from './pod-templates.js'
export { stablePath } from './stable-path.js'
export { combineFixes, applyFixOperations, problemsAdded } from './fix.js'
export { apiServerProblems } from './api-validation.js'
export { compileCel, CelEvalError, CelTimestamp, celToJs, evalError, overload } from '../cel/index.js'
export {
  withBudget,
  withRequestDeadline,
  spend,
  currentBudget,
  EvalBudget,
  EvalLimitError,
  RequestDeadlineError,
  DEFAULT_EVAL_COST,
  DEFAULT_EVAL_TIMEOUT_MS,
} from '../cel/index.js'
export type { EvalLimits, LimitKind } from '../cel/index.js'
export type { CelProgram, CelCompileResult, CelCompileOptions, FunctionTable } from '../cel/index.js'
export { lazyVariables } from './variables.js'
