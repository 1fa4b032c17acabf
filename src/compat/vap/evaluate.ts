import { apiGroup, isRecord, type KubeObject } from '../../core/index.js'
import { CelCompileFailure, celBool, CelRuntimeFailure, celValue, lazyCelVariables } from './cel-program.js'
import { resourceOf } from './match-constraints.js'

/** The CEL parts of a ValidatingAdmissionPolicy (or Kyverno ValidatingPolicy, or validate.cel). */
export interface CelBody {
  matchConditions: readonly { name: string; expression: string }[]
  variables: readonly { name: string; expression: string }[]
  validations: readonly { expression: string; message?: string; messageExpression?: string; reason?: string }[]
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
}

/** An AdmissionRequest as the API server would send it for this object and operation. */
export function admissionRequest(object: KubeObject, operation: string, user: { username: string; groups: readonly string[] }, oldObject: KubeObject | null = null): Record<string, unknown> {
  const meta = isRecord(object.metadata) ? object.metadata : {}
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : ''
  const group = apiGroup(apiVersion)
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion
  const kind = typeof object.kind === 'string' ? object.kind : ''
  const gvk = { group, version, kind }
  const gvr = { group, version, resource: resourceOf(kind) }
  return {
    uid: '',
    kind: gvk,
    resource: gvr,
    requestKind: gvk,
    requestResource: gvr,
    subResource: '',
    name: typeof meta.name === 'string' ? meta.name : '',
    namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
    operation,
    userInfo: { username: user.username, groups: [...user.groups] },
    object: operation === 'DELETE' ? null : object,
    oldObject,
    dryRun: false,
  }
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))
const isCelFailure = (error: unknown): boolean => error instanceof CelRuntimeFailure || error instanceof CelCompileFailure

/**
 * Evaluate a CEL body with ValidatingAdmissionPolicy semantics: matchConditions (all true,
 * else skip; an error rejects under failurePolicy Fail and skips under Ignore), then every validation; a false validation is
 * a failure with its messageExpression, message, or the expression; an evaluation error
 * rejects (fail, naming the error) under failurePolicy Fail and is ignored under Ignore.
 */
export function evaluateCelBody(body: CelBody, inputs: CelInputs): CelOutcome {
  const activation: Record<string, unknown> = { ...inputs, variables: null }
  activation.variables = lazyCelVariables(body.variables, activation)
  for (const condition of body.matchConditions) {
    try {
      if (!celBool(condition.expression, activation)) return { status: 'skip', message: `match condition ${condition.name} not met`, failures: [] }
    } catch (error) {
      if (!isCelFailure(error)) throw error
      if (body.failurePolicy === 'Ignore') return { status: 'skip', message: errorText(error), failures: [] }
      return { status: 'fail', message: `evaluation error in match condition ${condition.name}: ${errorText(error)}`, failures: [] }
    }
  }
  const failures: CelOutcome['failures'] = []
  const errors: string[] = []
  body.validations.forEach((v, index) => {
    let ok: boolean
    try {
      ok = celBool(v.expression, activation)
    } catch (error) {
      if (!isCelFailure(error)) throw error
      if (body.failurePolicy === 'Fail') errors.push(errorText(error))
      return
    }
    if (ok) return
    failures.push({ index, message: validationMessage(v, activation) })
  })
  if (failures.length > 0) return { status: 'fail', message: failures.map((f) => f.message).join('; '), failures }
  // As the API server does: under failurePolicy Fail an evaluation error rejects the request.
  if (errors.length > 0) return { status: 'fail', message: `evaluation error: ${errors.join('; ')}`, failures }
  return { status: 'pass', message: '', failures }
}

function validationMessage(v: CelBody['validations'][number], activation: Record<string, unknown>): string {
  if (v.messageExpression !== undefined && v.messageExpression !== '') {
    try {
      const m = celValue(v.messageExpression, activation)
      if (typeof m === 'string' && m.trim() !== '') return m
    } catch (error) {
      if (!isCelFailure(error)) throw error
    }
  }
  if (v.message !== undefined && v.message !== '') return v.message
  return `failed expression: ${v.expression.trim()}`
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** Read the CEL parts of a VAP-shaped spec (matchConditions, variables, validations, failurePolicy). */
export function readCelBody(spec: Record<string, unknown>, validationsKey = 'validations'): CelBody {
  const named = (v: unknown): { name: string; expression: string }[] =>
    (Array.isArray(v) ? v : []).filter(isRecord).map((x) => ({ name: String(x.name ?? ''), expression: String(x.expression ?? '') }))
  const validations = (Array.isArray(spec[validationsKey]) ? (spec[validationsKey] as unknown[]) : []).filter(isRecord).map((x) => {
    const out: CelBody['validations'][number] = { expression: String(x.expression ?? '') }
    const message = str(x.message)
    const messageExpression = str(x.messageExpression)
    const reason = str(x.reason)
    return { ...out, ...(message === undefined ? {} : { message }), ...(messageExpression === undefined ? {} : { messageExpression }), ...(reason === undefined ? {} : { reason }) }
  })
  return {
    matchConditions: named(spec.matchConditions),
    variables: named(spec.variables),
    validations,
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
  }
}
