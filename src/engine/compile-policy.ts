import {
  describeError,
  parsePointer,
  type Diagnostic,
  type KubeObject,
  type Severity,
  type Violation,
} from '../core/index.js'
import { CelEvalError, celToJs, compileCel, type CelProgram } from '../cel/index.js'
import { compileIterator, type ElementIterator } from './iterate.js'
import { compileMatch } from './match.js'
import { renderTemplate, templateNames } from './message-template.js'
import type { FixSpec, PolicySpec } from './policy-spec.js'
import { stablePath } from './stable-path.js'
import { compileNative } from './compile-native.js'
import { absoluteFix } from './fix.js'
import type { CompiledPolicy, EvalContext, PolicyInfo, PolicyOutcome } from './types.js'
import { VariableSet } from '../cel/index.js'

/** Variables every expression may use, as in Kubernetes ValidatingAdmissionPolicy. */
export const VAP_VARIABLES: readonly string[] = [
  'object',
  'oldObject',
  'request',
  'params',
  'namespaceObject',
  'variables',
]

interface CompiledRule {
  messageId: string
  template: string
  severity: Severity
  program: CelProgram
  path: string
  iterate: ElementIterator | undefined
  as: string | undefined
  data: DataProgram[]
  fix: FixSpec | undefined
}

/** A message placeholder's expression; compiled now, or on its first failing check (`lazyData`). */
interface DataProgram {
  key: string
  program: CelProgram | undefined
  compile: () => CelProgram
}

/** Options for compiling: parameter values from configuration, the source label. */
export interface CompileOptions {
  params?: Readonly<Record<string, unknown>>
  source?: string
  /**
   * Compile the rules' message `data` on a rule's first failure, not now (start-up: most
   * checks pass). Only for specs known to compile (the built-in library, policy-set.ts): a
   * data expression that then fails to compile throws, an internal error, never a pass.
   */
  lazyData?: boolean
}

/**
 * Compile a policy once; evaluate it many times. Problems (bad CEL, unknown message ids,
 * placeholders without data) are returned as POLICY_INVALID / CEL_COMPILE diagnostics and
 * no policy is produced.
 */
export function compilePolicy(
  spec: PolicySpec,
  options: CompileOptions = {},
): { policy?: CompiledPolicy; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const where = `policy ${spec.id}`
  const invalid = (message: string): void =>
    void diagnostics.push({ code: 'POLICY_INVALID', message: `${where}: ${message}` })
  const outer = spec.forEach?.as
  const scope = [...VAP_VARIABLES, ...(outer ? [outer] : [])]

  const cel = (expression: string, label: string, names: readonly string[]): CelProgram | undefined => {
    const result = compileCel(expression, { variables: names })
    if (result.ok) return result.program
    const { message, start } = result.error
    diagnostics.push({
      code: 'CEL_COMPILE',
      message: `${where}, ${label}: ${message} (at offset ${start} of "${expression}")`,
    })
    return undefined
  }

  const params: Record<string, unknown> = {}
  for (const [name, param] of Object.entries(spec.params ?? {})) params[name] = param.default
  for (const [name, value] of Object.entries(options.params ?? {})) {
    if (!spec.params || !Object.hasOwn(spec.params, name)) invalid(`unknown parameter "${name}"`)
    else params[name] = value
  }

  const variables = (spec.variables ?? []).map((v) => ({
    name: v.name,
    program: cel(v.expression, `variable ${v.name}`, scope),
  }))
  const condition =
    spec.match.condition === undefined ? undefined : cel(spec.match.condition, 'match.condition', VAP_VARIABLES)

  const kindsOfCheck = [spec.rules, spec.check, spec.checkAll].filter((x) => x !== undefined).length
  if (kindsOfCheck !== 1) invalid('must have exactly one of rules, check and checkAll')
  const rules: CompiledRule[] = []
  for (const rule of spec.rules ?? []) {
    const template = spec.messages[rule.messageId]
    if (template === undefined) invalid(`rule uses unknown messageId "${rule.messageId}"`)
    const names = rule.forEach ? [...scope, rule.forEach.as] : scope
    const program = cel(rule.expression, `rule ${rule.messageId}`, names)
    const data: DataProgram[] = []
    for (const [key, expression] of Object.entries(rule.data ?? {})) {
      const label = `rule ${rule.messageId} data.${key}`
      if (options.lazyData === true) {
        data.push({ key, program: undefined, compile: () => compileLater(expression, `${where}, ${label}`, names) })
        continue
      }
      const p = cel(expression, label, names)
      if (p) data.push({ key, program: p, compile: () => p })
    }
    for (const name of templateNames(template ?? '')) {
      if (!rule.data || !Object.hasOwn(rule.data, name))
        invalid(`message "${rule.messageId}" uses {{${name}}} but rule has no data.${name}`)
    }
    try {
      if (rule.path !== undefined) parsePointer(rule.path)
    } catch (error) {
      invalid(`rule ${rule.messageId}: ${describeError(error)}`)
    }
    if (program && template !== undefined) {
      rules.push({
        messageId: rule.messageId,
        template,
        severity: rule.severity ?? spec.severity,
        program,
        path: rule.path ?? '',
        iterate: rule.forEach ? compileIterator(rule.forEach.paths) : undefined,
        as: rule.forEach?.as,
        data,
        fix: rule.fix,
      })
    }
  }
  if (spec.rules?.length === 0) invalid('has no rules')
  for (const id of Object.keys(spec.messages))
    if (!/^[a-z][A-Za-z0-9]*$/.test(id)) invalid(`message id "${id}" must be camelCase`)
  if (diagnostics.length > 0) return { diagnostics }
  const meta = policyInfo(spec, options)
  if (spec.check || spec.checkAll) return { diagnostics, policy: compileNative(spec, meta, params) }

  const match = compileMatch(spec.match)
  const outerIterate = spec.forEach ? compileIterator(spec.forEach.paths) : undefined
  const frozenParams = Object.freeze(params)
  // Compiled once: each evaluation binds the slots, with no property defined per resource.
  const variableSet = variables.length > 0 ? new VariableSet(variables) : undefined

  const evaluate = (object: KubeObject, context: EvalContext): PolicyOutcome | undefined => {
    const targets = match.targets(object, context.environment)
    if (targets.length === 0) return undefined
    const violations: Violation[] = []
    let applied = false
    for (const target of targets) {
      const base: Record<string, unknown> = {
        object: target.object,
        oldObject: context.oldObject ?? null,
        request: context.request ?? null,
        params: frozenParams,
        namespaceObject: context.namespaceObject ?? null,
        variables: null,
      }
      if (variableSet !== undefined) base.variables = variableSet.bind(base)
      if (condition) {
        const verdict = runCondition(condition, base)
        if (verdict === false) continue
        if (verdict instanceof Error) {
          applied = true
          violations.push(errorViolation(spec, 'match.condition', spec.severity, target.prefix, object, verdict))
          continue
        }
      }
      applied = true
      const elements = outerIterate ? outerIterate(target.object) : WHOLE_TARGET
      for (const element of elements) {
        const activation = outer ? withVariable(base, outer, element.value) : base
        const at = target.prefix + element.pointer
        for (const rule of rules) {
          if (rule.iterate && rule.as) {
            for (const sub of rule.iterate(element.value ?? target.object)) {
              check(rule, withVariable(activation, rule.as, sub.value), at + sub.pointer, object, violations)
            }
          } else {
            check(rule, activation, at, object, violations)
          }
        }
      }
    }
    if (!applied) return undefined
    const status = violations.some((v) => v.status === 'fail') ? 'fail' : violations.length > 0 ? 'error' : 'pass'
    return { status, violations }
  }

  const check = (
    rule: CompiledRule,
    activation: Record<string, unknown>,
    at: string,
    root: KubeObject,
    out: Violation[],
  ): void => {
    let verdict: unknown
    try {
      verdict = rule.program(activation)
    } catch (error) {
      out.push(errorViolation(spec, rule.messageId, rule.severity, at + rule.path, root, error))
      return
    }
    if (verdict === true) return
    if (verdict !== false) {
      out.push(
        errorViolation(
          spec,
          rule.messageId,
          rule.severity,
          at + rule.path,
          root,
          new NotBoolean('expression', verdict),
        ),
      )
      return
    }
    const data: Record<string, unknown> = {}
    for (const entry of rule.data) data[entry.key] = display((entry.program ??= entry.compile()), activation)
    const path = at + rule.path
    const violation: Violation = {
      policyId: spec.id,
      messageId: rule.messageId,
      message: renderTemplate(rule.template, data),
      status: 'fail',
      severity: rule.severity,
      path,
      stablePath: stablePath(root, path),
    }
    if (rule.fix) violation.fix = absoluteFix(rule.fix, at, root)
    out.push(violation)
  }

  return { diagnostics, policy: { meta, kinds: match.kinds, evaluate } }
}

/**
 * The activation with one more variable (a forEach element). Copied key by key: V8 builds
 * `{ ...activation, [name]: value }` on its slow path, about 7 times the cost, and a dense
 * scan makes an activation per container per rule.
 */
function withVariable(activation: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key in activation) out[key] = activation[key]
  out[name] = value
  return out
}

/** The one element of a policy without forEach: the target itself. Shared, never modified. */
const WHOLE_TARGET: readonly { value: unknown; pointer: string }[] = [{ value: undefined, pointer: '' }]

/** What a report says about a policy; the same whether it is compiled now or on first use (policy-set.ts). */
export function policyInfo(spec: PolicySpec, options: CompileOptions): PolicyInfo {
  return {
    id: spec.id,
    title: spec.title,
    summary: spec.summary,
    rationale: spec.rationale,
    ...(spec.remediation === undefined ? {} : { remediation: spec.remediation }),
    severity: spec.severity,
    category: spec.category,
    controls: spec.controls,
    stage: spec.stage ?? 'stable',
    sets: spec.sets ?? [],
    source: options.source ?? 'builtin',
    ...(spec.namespaceDependent === true ? { namespaceDependent: true as const } : {}),
  }
}

/** A data expression of a spec known to compile (`lazyData`): compiled on first use, or thrown. */
function compileLater(expression: string, label: string, names: readonly string[]): CelProgram {
  const result = compileCel(expression, { variables: names })
  if (result.ok) return result.program
  throw new Error(`built-in ${label} does not compile: ${result.error.message}`)
}

/** A policy expression produced something other than a bool. */
class NotBoolean extends Error {
  constructor(what: string, value: unknown) {
    super(`${what} returned ${value === null ? 'null' : typeof value}, expected bool`)
  }
}

function runCondition(program: CelProgram, activation: Record<string, unknown>): boolean | Error {
  try {
    const value = program(activation)
    return typeof value === 'boolean' ? value : new NotBoolean('match.condition', value)
  } catch (error) {
    if (error instanceof CelEvalError) return error
    throw error
  }
}

function display(program: CelProgram, activation: Record<string, unknown>): unknown {
  try {
    return celToJs(program(activation))
  } catch (error) {
    if (error instanceof CelEvalError) return `<unavailable: ${error.message}>`
    throw error
  }
}

function errorViolation(
  spec: PolicySpec,
  messageId: string,
  severity: Severity,
  path: string,
  root: KubeObject,
  error: unknown,
): Violation {
  // Anything else is a bug in the engine, not in the policy: let it surface.
  if (!(error instanceof CelEvalError) && !(error instanceof NotBoolean)) throw error
  return {
    policyId: spec.id,
    messageId,
    message: `Policy ${spec.id} could not evaluate ${messageId}: ${describeError(error)}`,
    status: 'error',
    severity,
    path,
    stablePath: stablePath(root, path),
  }
}
