import { isRecord, type KubeObject } from '../../core/index.js'
import { admissionDecision, admissionRequest, evaluateCelBody, readCelBody } from '../shared/cel-body.js'
import { celBool } from '../shared/cel-program.js'
import { resolveParams } from '../shared/params.js'
import type { RuleContext } from './context.js'
import type { ValidateResult } from './validate.js'

function inputs(
  resource: KubeObject,
  ctx: RuleContext,
): {
  object: KubeObject
  oldObject: KubeObject | null
  request: Record<string, unknown>
  namespaceObject: KubeObject | null
} {
  const req = isRecord(ctx.data.request) ? ctx.data.request : {}
  const operation = String(req.operation ?? 'CREATE')
  const user = isRecord(req.userInfo) ? req.userInfo : {}
  const oldObject = isRecord(req.oldObject) ? (req.oldObject as KubeObject) : null
  const meta = isRecord(resource.metadata) ? resource.metadata : {}
  const ns = typeof meta.namespace === 'string' ? meta.namespace : ''
  return {
    object: resource,
    oldObject,
    request: admissionRequest(
      resource,
      operation,
      { username: String(user.username ?? ''), groups: Array.isArray(user.groups) ? user.groups.map(String) : [] },
      oldObject,
    ),
    namespaceObject: ns === '' ? null : (ctx.lookup('v1', 'Namespace', '', ns) ?? null),
  }
}

/** validate.cel of a Kyverno rule: expressions with VAP semantics, its own variables, params via paramRef. */
export function validateCel(cel: Record<string, unknown>, resource: KubeObject, ctx: RuleContext): ValidateResult {
  const body = readCelBody({ ...cel, failurePolicy: 'Fail' }, ctx.cel, 'expressions')
  const base = inputs(resource, ctx)
  const meta = isRecord(resource.metadata) ? resource.metadata : {}
  const objects = ctx.list('', '', undefined)
  const resolution = resolveParams(cel.paramKind, cel.paramRef, String(meta.namespace ?? ''), objects)
  if ('missing' in resolution)
    return resolution.deny
      ? { status: 'fail', message: resolution.missing }
      : { status: 'skip', message: resolution.missing }
  for (const params of resolution.params) {
    // Kyverno runs validate.cel through the API server's validator with failurePolicy Fail:
    // an expression that cannot be evaluated denies, and Kyverno reports the rule as failed.
    const outcome = admissionDecision(evaluateCelBody(body, { ...base, params }), body.failurePolicy)
    if (outcome.status !== 'pass') return { status: outcome.status, message: outcome.message }
  }
  return { status: 'pass', message: '' }
}

/** celPreconditions of a Kyverno rule: every expression must hold. */
export function celPreconditions(conditions: unknown[], resource: KubeObject, ctx: RuleContext): boolean {
  const base = inputs(resource, ctx)
  const activation = { ...base, params: null, variables: null }
  return conditions.every((c) => isRecord(c) && celBool(ctx.cel.compile(String(c.expression ?? '')), activation))
}
