import { isRecord, type KubeObject } from '../../core/index.js'
import { spend } from '../../engine/index.js'
import { evaluateConditions } from './conditions.js'
import { extend, loadContext, preconditionsHold, resolver, type RuleContext } from './context.js'
import { CompatError, isCompatError, unsupported } from '../shared/errors.js'
import { matchPattern, type PatternResult } from './pattern.js'
import { substituteAll } from './substitute.js'
import type { RuleStatus } from '../shared/rule-response.js'

/** Result of a validate rule (or of one foreach element). */
export interface ValidateResult {
  status: RuleStatus
  message: string
  path?: string
}

/** Plug-ins for the parts of validate that other modules implement. */
export interface ValidateHooks {
  cel(cel: Record<string, unknown>, resource: KubeObject, ctx: RuleContext): ValidateResult
  podSecurity(spec: Record<string, unknown>, resource: KubeObject, ctx: RuleContext): ValidateResult
}

/** State of a validation: the resource, where the current element sits, nesting depth. */
interface Scope {
  resource: KubeObject
  /** The element patterns apply to inside foreach (a map), else undefined. */
  element: unknown
  /** JSON Pointer of the element in the resource, when it could be worked out. */
  elementPath: string | undefined
  nesting: number
  provided: ReadonlySet<string>
  hooks: ValidateHooks
  ruleName: string
}

const pass = (message = ''): ValidateResult => ({ status: 'pass', message })

/** Evaluate a rule's validate block (context and preconditions already handled by the caller). */
export function runValidate(
  validate: Record<string, unknown>,
  resource: KubeObject,
  ctx: RuleContext,
  options: { provided: ReadonlySet<string>; hooks: ValidateHooks; ruleName: string },
): ValidateResult {
  const scope: Scope = { resource, element: undefined, elementPath: undefined, nesting: 0, ...options }
  return body(validate, ctx, scope, true)
}

function body(v: Record<string, unknown>, ctx: RuleContext, scope: Scope, top: boolean): ValidateResult {
  const message = typeof v.message === 'string' ? v.message : ''
  if (v.deny !== undefined) return deny(v.deny, message, ctx, scope)
  if (v.pattern !== undefined || v.anyPattern !== undefined) return patterns(v, message, ctx, scope)
  if (v.foreach !== undefined) return foreach(v.foreach, message, ctx, scope)
  if (top) {
    if (isRecord(v.cel)) return scope.hooks.cel(v.cel, scope.resource, ctx)
    if (isRecord(v.podSecurity)) return scope.hooks.podSecurity(v.podSecurity, scope.resource, ctx)
    if (v.manifests !== undefined) throw unsupported('validate.manifests', 'signed manifest verification')
    if (v.assert !== undefined) throw unsupported('validate.assert')
  }
  throw new CompatError('POLICY_INVALID', 'validate has none of pattern, anyPattern, deny, foreach, cel, podSecurity')
}

function renderMessage(message: string, ctx: RuleContext): string {
  if (message === '') return ''
  try {
    const out = substituteAll(message, resolver(ctx))
    return typeof out === 'string' ? out : JSON.stringify(out)
  } catch (error) {
    // A message that cannot be rendered is shown as written, whatever the reason.
    if (isCompatError(error)) return message
    throw error
  }
}

function deny(spec: unknown, message: string, ctx: RuleContext, scope: Scope): ValidateResult {
  const conditions = isRecord(spec) ? spec.conditions : undefined
  // Kyverno substitutes every deny condition before evaluating any of them.
  const substituted = substituteAll(conditions ?? null, resolver(ctx))
  const outcome = evaluateConditions(substituted, resolver(ctx))
  const text = renderMessage(message, ctx)
  if (outcome.holds)
    return {
      status: 'fail',
      message: text || `validation error: rule ${scope.ruleName} failed`,
      ...(scope.elementPath === undefined ? {} : { path: scope.elementPath }),
    }
  return pass(text)
}

function target(scope: Scope): unknown {
  return isRecord(scope.element) ? scope.element : scope.resource
}

function prefixPath(scope: Scope, path: string): string {
  return isRecord(scope.element) ? (scope.elementPath === undefined ? '' : scope.elementPath + path) : path
}

function patterns(v: Record<string, unknown>, message: string, ctx: RuleContext, scope: Scope): ValidateResult {
  const resolve = resolver(ctx)
  const subject = target(scope)
  if (v.pattern !== undefined) {
    const pattern = substituteAll(v.pattern, resolve)
    return fromPattern(matchPattern(subject, pattern), message, ctx, scope)
  }
  const anyPattern = substituteAll(v.anyPattern, resolve)
  if (!Array.isArray(anyPattern)) throw new CompatError('POLICY_INVALID', 'anyPattern must be a list')
  const failed: string[] = []
  let skipped = 0
  let firstPath: string | undefined
  for (let i = 0; i < anyPattern.length; i++) {
    const r = matchPattern(subject, anyPattern[i])
    if (r.status === 'pass') return pass(`validation rule '${scope.ruleName}' anyPattern[${i}] passed.`)
    if (r.status === 'skip') skipped++
    if (r.status === 'fail') firstPath ??= r.path
    failed.push(`rule ${scope.ruleName}[${i}] ${r.status === 'skip' ? 'skipped' : 'failed'}: ${r.message}`)
  }
  if (skipped > 0 && skipped === anyPattern.length) return { status: 'skip', message: failed.join(' ') }
  const text = renderMessage(message, ctx)
  return {
    status: 'fail',
    message: `${text ? `${text} ` : ''}${failed.join(' ')}`,
    ...(firstPath === undefined ? {} : { path: prefixPath(scope, firstPath) }),
  }
}

function fromPattern(r: PatternResult, message: string, ctx: RuleContext, scope: Scope): ValidateResult {
  switch (r.status) {
    case 'pass':
      return pass(`validation rule '${scope.ruleName}' passed.`)
    case 'skip':
      return { status: 'skip', message: r.message }
    case 'error':
      return { status: 'error', message: r.message }
    case 'fail': {
      const text = renderMessage(message, ctx)
      return {
        status: 'fail',
        message: `validation error: ${text ? `${text}. ` : ''}rule ${scope.ruleName} failed at path ${r.path || '/'}`,
        path: prefixPath(scope, r.path),
      }
    }
  }
}

/** Evaluate a foreach `list` expression: a non-list value is one element (null elements are skipped). */
function evaluateList(list: unknown, ctx: RuleContext): unknown[] {
  const expression = String(substituteAll(String(list ?? ''), resolver(ctx)))
  const value = ctx.jp.search(expression, ctx.data)
  return Array.isArray(value) ? value : [value]
}

/** JSON Pointer of a plain `request.object.a.b` list path, when the list is one. */
function listPointer(list: unknown): string | undefined {
  if (typeof list !== 'string') return undefined
  const m = /^\s*request\.object((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*$/.exec(list)
  return m
    ? (m[1] as string)
        .split('.')
        .slice(1)
        .map((p) => `/${p}`)
        .join('')
    : undefined
}

function foreach(spec: unknown, message: string, ctx: RuleContext, scope: Scope): ValidateResult {
  if (!Array.isArray(spec)) throw new CompatError('POLICY_INVALID', 'validate.foreach must be a list')
  let applied = 0
  for (const fe of spec) {
    if (!isRecord(fe)) throw new CompatError('POLICY_INVALID', 'a foreach entry must be a map')
    let elements: unknown[]
    try {
      elements = evaluateList(fe.list, ctx)
    } catch (error) {
      if (!isCompatError(error)) throw error
      // A list that cannot be evaluated skips its foreach entry, unless the feature is missing.
      if (error.code === 'UNSUPPORTED') throw error
      continue
    }
    const base = scope.nesting === 0 ? listPointer(fe.list) : undefined
    const r = elementsResult(fe, elements, message, ctx, scope, base)
    if (r.result.status !== 'pass') return r.result
    applied += r.applied
  }
  if (applied === 0) return { status: 'skip', message: 'rule skipped' }
  return pass('rule passed')
}

function elementsResult(
  fe: Record<string, unknown>,
  elements: unknown[],
  message: string,
  ctx: RuleContext,
  scope: Scope,
  base: string | undefined,
): { result: ValidateResult; applied: number } {
  let applied = 0
  for (let index = 0; index < elements.length; index++) {
    const element = elements[index]
    if (element === null || element === undefined) continue
    // Each element costs a unit of the evaluation's budget (and, now and then, a look at the
    // clock): foreach nested three deep over a few hundred containers is millions of them.
    spend(1)
    const scoped = fe.elementScope === undefined ? isRecord(element) : fe.elementScope === true
    const n = scope.nesting
    const elementCtx = extend(ctx, {
      element,
      elementIndex: index,
      [`element${n}`]: element,
      [`elementIndex${n}`]: index,
    })
    const inner: Scope = {
      ...scope,
      nesting: n + 1,
      element: scoped ? element : undefined,
      elementPath: scoped ? (base !== undefined ? `${base}/${index}` : scope.elementPath) : scope.elementPath,
    }
    let r: ValidateResult
    try {
      r = elementBody(fe, message, elementCtx, inner)
    } catch (error) {
      if (!isCompatError(error)) throw error
      r = { status: 'error', message: error.message }
    }
    if (r.status === 'skip') continue
    if (r.status !== 'pass') {
      if (r.status === 'error') {
        if (index < elements.length - 1) continue
        return { result: { status: 'error', message: `validation failure: ${r.message}` }, applied }
      }
      return { result: { ...r, message: `validation failure: ${r.message}` }, applied }
    }
    applied++
  }
  return { result: pass(), applied }
}

function elementBody(fe: Record<string, unknown>, message: string, ctx: RuleContext, scope: Scope): ValidateResult {
  const loaded = loadContext(fe.context, ctx, scope.provided)
  const pre = preconditionsHold(fe.preconditions, loaded)
  if (!pre.holds) return { status: 'skip', message: 'preconditions not met' }
  if (fe.deny !== undefined) return deny(fe.deny, message, loaded, scope)
  if (fe.pattern !== undefined || fe.anyPattern !== undefined) return patterns(fe, message, loaded, scope)
  if (fe.foreach !== undefined) return foreach(fe.foreach, message, loaded, scope)
  throw new CompatError('POLICY_INVALID', 'foreach entry has none of pattern, anyPattern, deny, foreach')
}
