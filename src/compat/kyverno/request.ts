import { apiGroup, isRecord, type KubeObject } from '../../core/index.js'
import { parseImage } from './images.js'

/** Who sends the request, as a Kyverno test's userinfo file says (empty by default). */
export interface UserInfo {
  username: string
  groups: readonly string[]
  roles: readonly string[]
  clusterRoles: readonly string[]
}

/** An empty user, as the Kyverno CLI uses without a userinfo file. */
export const NO_USER: UserInfo = { username: '', groups: [], roles: [], clusterRoles: [] }

function containerImages(spec: unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {}
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = isRecord(spec) ? spec[key] : undefined
    if (!Array.isArray(list)) continue
    const images: Record<string, unknown> = {}
    for (const c of list) {
      if (isRecord(c) && typeof c.name === 'string' && typeof c.image === 'string') images[c.name] = parseImage(c.image)
    }
    if (Object.keys(images).length > 0) out[key] = images as Record<string, unknown>
  }
  return out
}

/** Kyverno's `images` variable: image parts by container name, for Pods and pod templates. */
export function imagesOf(object: KubeObject): Record<string, unknown> {
  const spec = isRecord(object.spec) ? object.spec : undefined
  if (object.kind === 'Pod') return containerImages(spec)
  const template = isRecord(spec?.template)
    ? spec.template
    : isRecord(spec?.jobTemplate) && isRecord(spec.jobTemplate.spec) && isRecord(spec.jobTemplate.spec.template)
      ? spec.jobTemplate.spec.template
      : undefined
  return template ? containerImages(template.spec) : {}
}

/**
 * The JSON context Kyverno gives a rule for an admission request: `request` (operation,
 * object, oldObject, userInfo, roles, clusterRoles, namespace, name, kind), the
 * service account variables and `images`.
 */
export function requestContext(
  object: KubeObject,
  operation: string,
  oldObject: KubeObject | null,
  user: UserInfo,
): Record<string, unknown> {
  const meta = isRecord(object.metadata) ? object.metadata : {}
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : ''
  const kind = typeof object.kind === 'string' ? object.kind : ''
  const sa = /^system:serviceaccount:([^:]*):(.*)$/.exec(user.username)
  return {
    request: {
      operation,
      object: operation === 'DELETE' ? null : object,
      oldObject,
      // As Kyverno serialises them: empty fields are omitted (omitempty), so they read as null.
      userInfo: {
        ...(user.username === '' ? {} : { username: user.username }),
        ...(user.groups.length === 0 ? {} : { groups: [...user.groups] }),
      },
      ...(user.roles.length === 0 ? {} : { roles: [...user.roles] }),
      ...(user.clusterRoles.length === 0 ? {} : { clusterRoles: [...user.clusterRoles] }),
      namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
      name: typeof meta.name === 'string' ? meta.name : '',
      kind: { group: apiGroup(apiVersion), version: apiVersion.slice(apiVersion.indexOf('/') + 1), kind },
      dryRun: false,
    },
    serviceAccountName: sa ? sa[2] : '',
    serviceAccountNamespace: sa ? sa[1] : '',
    images: imagesOf(object),
  }
}
