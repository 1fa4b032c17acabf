import { isRecord, type KubeObject } from '../core/index.js'
import { shown } from './echo.js'

/** The fields of an admission.k8s.io/v1 AdmissionRequest that Palisade reads. */
export interface AdmissionRequest {
  uid: string
  kind: { group: string; version: string; kind: string }
  resource?: { group: string; version: string; resource: string }
  subResource?: string
  name?: string
  namespace?: string
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT'
  userInfo?: { username?: string; uid?: string; groups?: string[] }
  object: KubeObject | null
  oldObject: KubeObject | null
  dryRun: boolean
  /** The request as sent, for policies that read `request.*`. */
  raw: Record<string, unknown>
}

/** The AdmissionResponse Palisade sends back (admission.k8s.io/v1). */
export interface AdmissionResponse {
  uid: string
  allowed: boolean
  status?: { code: number; reason?: string; message: string }
  warnings?: string[]
  patchType?: 'JSONPatch'
  patch?: string
}

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT'])

/** Why a body is not an AdmissionReview v1 request; becomes a 400 response. */
export class BadReview extends Error {
  override readonly name = 'BadReview'
}

/**
 * Check that a parsed body is an AdmissionReview of admission.k8s.io/v1 with a request
 * (uid, kind, operation; object for CREATE and UPDATE) and pick out what Palisade needs.
 * Throws {@link BadReview} with a message naming the first problem.
 */
export function readAdmissionReview(body: unknown): AdmissionRequest {
  if (!isRecord(body)) throw new BadReview('body is not a JSON object')
  if (body.kind !== 'AdmissionReview') throw new BadReview(`kind is ${shown(body.kind)}, expected "AdmissionReview"`)
  if (body.apiVersion !== 'admission.k8s.io/v1')
    throw new BadReview(`apiVersion is ${shown(body.apiVersion)}, expected "admission.k8s.io/v1"`)
  const request = body.request
  if (!isRecord(request)) throw new BadReview('request is missing or not an object')
  const { uid, kind, operation } = request
  if (typeof uid !== 'string' || uid === '') throw new BadReview('request.uid is missing')
  if (!isRecord(kind) || typeof kind.kind !== 'string' || typeof kind.version !== 'string')
    throw new BadReview('request.kind must have kind and version')
  if (typeof operation !== 'string' || !OPERATIONS.has(operation))
    throw new BadReview(`request.operation ${shown(operation)} is not CREATE, UPDATE, DELETE or CONNECT`)
  const object = request.object ?? null
  const oldObject = request.oldObject ?? null
  if (object !== null && !isRecord(object)) throw new BadReview('request.object is not an object')
  if (oldObject !== null && !isRecord(oldObject)) throw new BadReview('request.oldObject is not an object')
  if ((operation === 'CREATE' || operation === 'UPDATE') && object === null)
    throw new BadReview(`request.object is required for ${operation}`)
  if (request.dryRun !== undefined && typeof request.dryRun !== 'boolean')
    throw new BadReview('request.dryRun is not a boolean')
  const out: AdmissionRequest = {
    uid,
    kind: { group: typeof kind.group === 'string' ? kind.group : '', version: kind.version, kind: kind.kind },
    operation: operation as AdmissionRequest['operation'],
    object,
    oldObject,
    dryRun: request.dryRun === true,
    raw: request,
  }
  if (typeof request.name === 'string') out.name = request.name
  if (typeof request.namespace === 'string') out.namespace = request.namespace
  if (typeof request.subResource === 'string') out.subResource = request.subResource
  if (isRecord(request.userInfo)) out.userInfo = request.userInfo as NonNullable<AdmissionRequest['userInfo']>
  return out
}

/** The AdmissionReview envelope of a response, in the version the request came in. */
export function reviewOf(response: AdmissionResponse): {
  apiVersion: string
  kind: string
  response: AdmissionResponse
} {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }
}
