import {
  describeError,
  formatResourceRef,
  isRecord,
  resourceRef,
  severityRank,
  type KubeObject,
  type PatchOperation,
} from '../core/index.js'
import { RequestDeadlineError, withRequestDeadline } from '../engine/index.js'
import { checkObject, type PlacedFinding } from '../pipeline/index.js'
import { selectFixes } from '../fix/index.js'
import type { AdmissionRequest, AdmissionResponse } from './admission-review.js'
import type { PolicyGeneration } from './generation.js'
import { toRfc6902 } from './json-patch.js'
import { boundedWarnings, warningText } from './warnings.js'

/** `allow`: an evaluation error admits the object (and counts an error); `deny`: it rejects it. */
export type FailurePolicy = 'allow' | 'deny'

/** What one admission decision needs. */
export interface DecisionInput {
  request: AdmissionRequest
  mode: 'validate' | 'mutate'
  /** From the webhook path (`/validate/<env>`); else the namespace globs of the configuration; else `fallbackEnvironment`. */
  pathEnvironment: string | undefined
  fallbackEnvironment: string | undefined
  generation: PolicyGeneration
  failurePolicy: FailurePolicy
  /** Milliseconds since the epoch (scheduled actions depend on the day). */
  now: number
  /**
   * `--request-timeout`: the deadline shared by every policy of this request, `timeoutMs`
   * after `startedAt` (when the request arrived, on `clock`, both in milliseconds).
   */
  deadline?: { startedAt: number; timeoutMs: number; clock: () => number }
}

/** A decision: the response for the API server and what the decision log and metrics record. */
export interface Decision {
  response: AdmissionResponse
  environment: string | undefined
  findings: PlacedFinding[]
  /** An exception from the engine (a bug or a policy that threw), handled by the failure policy. */
  evaluationError?: string
  patch?: PatchOperation[]
}

const MAX_DENY_REASONS = 5

/**
 * Decide one admission request. CREATE and UPDATE objects are evaluated with the same
 * pipeline code as a scan; DELETE and CONNECT are allowed without evaluation.
 * Validate: deny findings reject, warn findings become warnings, audit findings are only
 * recorded, waived findings count for nothing, error findings follow the failure policy.
 * Mutate: never rejects; returns the safe fixes of deny and warn findings as a JSONPatch.
 */
export function decide(input: DecisionInput): Decision {
  const { request, generation } = input
  const uid = request.uid
  if (request.operation === 'DELETE' || request.operation === 'CONNECT' || request.object === null) {
    return { response: { uid, allowed: true }, environment: undefined, findings: [] }
  }
  const resolver = generation.resolverAt(input.now)
  const object = withNamespace(request.object, request.namespace)
  const namespace = request.namespace ?? ''
  const environment =
    input.pathEnvironment ??
    (namespace === '' ? undefined : resolver.environmentForNamespace(namespace)) ??
    input.fallbackEnvironment
  let findings: PlacedFinding[]
  const check = (): PlacedFinding[] =>
    checkObject(object, {
      policies: generation.loaded.policies,
      resolver,
      environment,
      context: { request: request.raw, oldObject: request.oldObject, namespaceObject: null },
    })
  try {
    findings = input.deadline === undefined ? check() : withRequestDeadline(input.deadline, check)
  } catch (error) {
    const evaluationError = describeError(error)
    const ref = formatResourceRef(resourceRef(object))
    // Past the request deadline the object was not checked: an error, never an allow that pretends the policies passed.
    const response =
      error instanceof RequestDeadlineError
        ? input.failurePolicy === 'deny'
          ? failed(uid, 'deny', `Palisade could not check ${ref} in time: ${error.message} (--request-timeout)`)
          : {
              uid,
              allowed: true,
              warnings: boundedWarnings([
                `palisade: ${ref} not checked in time (--request-timeout ${error.timeoutMs} ms); failure policy: allow`,
              ]),
            }
        : failed(uid, input.failurePolicy, `Palisade could not evaluate ${ref}: ${evaluationError}`)
    return { response, environment, findings: [], evaluationError }
  }
  if (input.mode === 'mutate') return mutation(uid, object, findings, environment)

  const deny: PlacedFinding[] = []
  const warn: string[] = []
  const errors: PlacedFinding[] = []
  for (const f of findings) {
    if (f.waiver) continue
    if (f.status === 'error') errors.push(f)
    else if (f.action === 'deny') deny.push(f)
    else if (f.action === 'warn') warn.push(warningText(f))
  }
  if (errors.length > 0 && input.failurePolicy === 'deny') deny.push(...errors)
  else for (const f of errors) warn.push(`palisade could not evaluate ${warningText(f)}`)
  // The message shows the first few: the worst first, then by policy, so a critical finding is never hidden behind low ones.
  deny.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0),
  )
  const response: AdmissionResponse = { uid, allowed: deny.length === 0 }
  if (deny.length > 0) response.status = { code: 403, reason: 'Forbidden', message: denialMessage(object, deny) }
  if (warn.length > 0) response.warnings = boundedWarnings(warn)
  return { response, environment, findings }
}

function mutation(
  uid: string,
  object: KubeObject,
  findings: PlacedFinding[],
  environment: string | undefined,
): Decision {
  // The one fix model (src/fix) that `palisade fix` uses: safe fixes only here, never one the API server would reject.
  const { operations, left } = selectFixes(
    object,
    findings.filter((f) => f.action !== 'audit'),
    { unsafe: false },
  )
  const warnings = left
    .filter((l) => l.reason === 'invalid' || l.reason === 'incoherent')
    .map(
      ({ item, detail }) =>
        `palisade did not fix [${item.policyId}] ${item.path}: the result would be invalid: ${detail ?? ''}`,
    )
  const patch = operations.length === 0 ? [] : toRfc6902(object, operations)
  const response: AdmissionResponse = { uid, allowed: true }
  if (warnings.length > 0) response.warnings = boundedWarnings(warnings)
  if (patch.length === 0) return { response, environment, findings }
  response.patchType = 'JSONPatch'
  response.patch = Buffer.from(JSON.stringify(patch)).toString('base64')
  return { response, environment, findings, patch }
}

function failed(uid: string, policy: FailurePolicy, message: string): AdmissionResponse {
  return policy === 'deny'
    ? { uid, allowed: false, status: { code: 500, reason: 'InternalError', message } }
    : { uid, allowed: true, warnings: boundedWarnings([`palisade: ${message} (failure policy: allow)`]) }
}

function denialMessage(object: KubeObject, deny: readonly PlacedFinding[]): string {
  const reasons = deny.slice(0, MAX_DENY_REASONS).map((f) => `${f.policyId} at ${f.path || '/'}: ${f.message}`)
  const more = deny.length > MAX_DENY_REASONS ? `; and ${deny.length - MAX_DENY_REASONS} more` : ''
  return `Palisade denied ${formatResourceRef(resourceRef(object))}: ${reasons.join('; ')}${more}`
}

/** The API server fills in the namespace from the URL; an object may arrive without it. */
function withNamespace(object: KubeObject, namespace: string | undefined): KubeObject {
  if (namespace === undefined || namespace === '') return object
  const meta = isRecord(object.metadata) ? object.metadata : undefined
  if (meta && typeof meta.namespace === 'string' && meta.namespace !== '') return object
  return { ...object, metadata: { ...meta, namespace } }
}
