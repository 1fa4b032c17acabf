import { apiGroup, isRecord, type KubeObject } from '../../core/index.js'
import {
  celBool,
  celCompileError,
  celValue,
  lazyCelVariables,
  type CelPrograms,
  type CompiledCel,
} from './cel-program.js'
import { isCompatError } from './errors.js'
import { resourceOf } from './match-constraints.js'

/** A named expression (matchConditions, variables). */
export interface NamedCel {
  name: string
  cel: CompiledCel
}

/** One validation: its expression and how its failure is worded. */
export interface CelValidation {
  cel: CompiledCel
  message?: string
  messageCel?: CompiledCel
  reason?: string
}

/** The CEL parts of a ValidatingAdmissionPolicy (or Kyverno ValidatingPolicy, or validate.cel), compiled. */
export interface CelBody {
  matchConditions: readonly NamedCel[]
  variables: readonly NamedCel[]
  validations: readonly CelValidation[]
  failurePolicy: 'Fail' | 'Ignore'
}

/** Result of a CEL body on one object (and one params object). */
export interface CelOutcome {
  status: 'pass' | 'fail' | 'error' | 'skip'
  message: string
  /** Messages of the failed validations, with their index. */
  failures: { index: number; message: string }[]
}

/** The inputs VAP expressions see. */
export interface CelInputs {
  object: KubeObject | null
  oldObject: KubeObject | null
  request: Record<string, unknown>
  params: unknown
  namespaceObject: KubeObject | null
  /** Values of the policy kind's library variables (Kyverno's `resource`, `image`, `time`). */
  libraries?: Readonly<Record<string, unknown>>
}

export interface KindAndResource {
  gvk: Readonly<{ group: string; version: string; kind: string }>
  gvr: Readonly<{ group: string; version: string; resource: string }>
}
/** The request kinds and resources of the apiVersions and kinds met so far (bounded: kinds come from input). */
const kindsAndResources = new Map<string, Map<string, KindAndResource>>()
let cachedKinds = 0

/** A request's kind and resource, derived once per apiVersion and kind (frozen: requests share them). */
export function kindAndResource(apiVersion: string, kind: string): KindAndResource {
  let byKind = kindsAndResources.get(apiVersion)
  let r = byKind?.get(kind)
  if (r === undefined) {
    const group = apiGroup(apiVersion)
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion
    r = {
      gvk: Object.freeze({ group, version, kind }),
      gvr: Object.freeze({ group, version, resource: resourceOf(kind) }),
    }
    if (cachedKinds >= 1024) {
      kindsAndResources.clear()
      cachedKinds = 0
      byKind = undefined
    }
    if (byKind === undefined) kindsAndResources.set(apiVersion, (byKind = new Map()))
    byKind.set(kind, r)
    cachedKinds++
  }
  return r
}

/** An AdmissionRequest as the API server would send it for this object and operation. */
export function admissionRequest(
  object: KubeObject,
  operation: string,
  user: { username: string; groups: readonly string[] },
  oldObject: KubeObject | null = null,
): Record<string, unknown> {
  return writeAdmissionRequest({}, object, operation, { username: user.username, groups: [...user.groups] }, oldObject)
}

/**
 * admissionRequest written into `into` (its fields overwritten, in the same order), with
 * `userInfo` as given: for callers that reuse one request object across evaluations.
 */
export function writeAdmissionRequest(
  into: Record<string, unknown>,
  object: KubeObject,
  operation: string,
  userInfo: Readonly<{ username: string; groups: readonly string[] }>,
  oldObject: KubeObject | null,
): Record<string, unknown> {
  const meta = isRecord(object.metadata) ? object.metadata : {}
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : ''
  const kind = typeof object.kind === 'string' ? object.kind : ''
  const { gvk, gvr } = kindAndResource(apiVersion, kind)
  into.uid = ''
  into.kind = gvk
  into.resource = gvr
  into.requestKind = gvk
  into.requestResource = gvr
  into.subResource = ''
  into.name = typeof meta.name === 'string' ? meta.name : ''
  into.namespace = typeof meta.namespace === 'string' ? meta.namespace : ''
  into.operation = operation
  into.userInfo = userInfo
  into.object = operation === 'DELETE' ? null : object
  into.oldObject = oldObject
  into.dryRun = false
  return into
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))
/** A CEL expression that did not compile or failed to evaluate; other errors (limits, bugs) propagate. */
function isCelFailure(error: unknown): boolean {
  if (!isCompatError(error)) return false
  switch (error.code) {
    case 'CEL_COMPILE':
    case 'CEL_RUNTIME':
      return true
    default:
      return false
  }
}

/**
 * Evaluate a CEL body: matchConditions (all true, else skip; an error is an `error` under
 * failurePolicy Fail and a skip under Ignore, as the API server and Kyverno do), then every
 * validation; a false validation is a failure with its messageExpression, message, or the
 * expression. A validation that cannot be evaluated makes the outcome `error` (unless another
 * validation fails): the API server would apply the failurePolicy, but a scan cannot tell
 * whether the object complies, so it is neither a fail nor a pass. Kyverno's ValidatingPolicy
 * reports the same case as an error too.
 */
export function evaluateCelBody(body: CelBody, inputs: CelInputs): CelOutcome {
  const { libraries, ...data } = inputs
  const activation: Record<string, unknown> = { ...libraries, ...data, variables: null }
  activation.variables = lazyCelVariables(body.variables, activation)
  return evaluateCelActivation(body, activation)
}

/**
 * evaluateCelBody on an activation the caller prepared (its inputs and its `variables`
 * object): for callers that reuse one activation across evaluations.
 */
export function evaluateCelActivation(body: CelBody, activation: Record<string, unknown>): CelOutcome {
  for (const condition of body.matchConditions) {
    try {
      if (!celBool(condition.cel, activation))
        return { status: 'skip', message: `match condition ${condition.name} not met`, failures: [] }
    } catch (error) {
      if (!isCelFailure(error)) throw error
      if (body.failurePolicy === 'Ignore') return { status: 'skip', message: errorText(error), failures: [] }
      return {
        status: 'error',
        message: `evaluation error in match condition ${condition.name}: ${errorText(error)}`,
        failures: [],
      }
    }
  }
  // Allocated only when needed: most evaluations pass.
  let failures: CelOutcome['failures'] | undefined
  let errors: string[] | undefined
  const validations = body.validations
  for (let index = 0; index < validations.length; index++) {
    const v = validations[index] as CelValidation
    let ok: boolean
    try {
      ok = celBool(v.cel, activation)
    } catch (error) {
      if (!isCelFailure(error)) throw error
      ;(errors ??= []).push(errorText(error))
      continue
    }
    if (ok) continue
    ;(failures ??= []).push({ index, message: validationMessage(v, activation) })
  }
  if (failures !== undefined) return { status: 'fail', message: failures.map((f) => f.message).join('; '), failures }
  if (errors !== undefined) return { status: 'error', message: `evaluation error: ${errors.join('; ')}`, failures: [] }
  return PASSED
}

/** The outcome of every evaluation that passes (frozen: shared). */
const PASSED: CelOutcome = Object.freeze({ status: 'pass', message: '', failures: Object.freeze([]) as unknown as [] })

/**
 * The admission decision of an outcome, as the API server makes it: a body that cannot be
 * evaluated applies its failurePolicy (Fail rejects, Ignore admits). Kyverno reports
 * validate.cel rules this way.
 */
export function admissionDecision(outcome: CelOutcome, failurePolicy: CelBody['failurePolicy']): CelOutcome {
  if (outcome.status !== 'error') return outcome
  return failurePolicy === 'Fail' ? { ...outcome, status: 'fail' } : { status: 'pass', message: '', failures: [] }
}

function validationMessage(v: CelBody['validations'][number], activation: Record<string, unknown>): string {
  if (v.messageCel !== undefined) {
    try {
      const m = celValue(v.messageCel, activation)
      if (typeof m === 'string' && m.trim() !== '') return m
    } catch (error) {
      if (!isCelFailure(error)) throw error
    }
  }
  if (v.message !== undefined && v.message !== '') return v.message
  return `failed expression: ${v.cel.expression.trim()}`
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/**
 * Read and compile the CEL parts of a VAP-shaped spec (matchConditions, variables,
 * validations, failurePolicy) with the policy's programs: once, when the policy is read.
 */
export function readCelBody(
  spec: Record<string, unknown>,
  programs: CelPrograms,
  validationsKey = 'validations',
): CelBody {
  const named = (v: unknown): NamedCel[] =>
    (Array.isArray(v) ? v : [])
      .filter(isRecord)
      .map((x) => ({ name: String(x.name ?? ''), cel: programs.compile(String(x.expression ?? '')) }))
  const variables = dataVariables(spec.variables, programs)
  const compile = (expression: string): CompiledCel => programs.compile(expression, [], variables.data)
  const validations = (Array.isArray(spec[validationsKey]) ? (spec[validationsKey] as unknown[]) : [])
    .filter(isRecord)
    .map((x) => {
      const out: CelValidation = { cel: compile(String(x.expression ?? '')) }
      const message = str(x.message)
      const messageExpression = str(x.messageExpression)
      const reason = str(x.reason)
      return {
        ...out,
        ...(message === undefined ? {} : { message }),
        ...(messageExpression === undefined || messageExpression === ''
          ? {}
          : { messageCel: compile(messageExpression) }),
        ...(reason === undefined ? {} : { reason }),
      }
    })
  return {
    matchConditions: named(spec.matchConditions),
    variables: variables.named,
    validations,
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
  }
}

/**
 * Compile the variables in order, each knowing which earlier ones hold plain JSON data (their
 * compile result said so), and return those names for the expressions that follow. A name
 * declared twice is never claimed: which declaration `variables.name` reads is not ours to guess.
 */
function dataVariables(v: unknown, programs: CelPrograms): { named: NamedCel[]; data: string[] } {
  const specs = (Array.isArray(v) ? v : []).filter(isRecord)
  const names = specs.map((x) => String(x.name ?? ''))
  const data: string[] = []
  const named = specs.map((x, i) => {
    const name = names[i] as string
    const cel = programs.compile(String(x.expression ?? ''), [], [...data])
    if (cel.json === true && names.indexOf(name) === names.lastIndexOf(name)) data.push(name)
    return { name, cel }
  })
  return { named, data }
}

/** The first compile error of a body's conditions, variables and validations (messages aside), if any. */
export function bodyCompileError(body: CelBody): string | undefined {
  for (const e of [...body.matchConditions, ...body.variables, ...body.validations]) {
    const err = celCompileError(e.cel)
    if (err !== undefined) return err
  }
  return undefined
}
