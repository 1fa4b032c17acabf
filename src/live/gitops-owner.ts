import { isRecord, type KubeObject } from '../core/index.js'

/** The GitOps controller that manages a live object, as the controller marks it. */
export interface GitOpsOwner {
  tool: 'argocd' | 'flux'
  /** `<Kind> <namespace>/<name>` of the Argo CD Application or Flux Kustomization/HelmRelease. */
  application: string
  kind: 'Application' | 'Kustomization' | 'HelmRelease'
  namespace?: string
  name: string
}

const ARGO_TRACKING = 'argocd.argoproj.io/tracking-id'

/**
 * Who deploys this object, from the marks the controllers put on what they apply:
 * Argo CD's tracking-id annotation (`<app>:<group>/<kind>:<ns>/<name>`, the app being
 * `<namespace>_<name>` for apps outside argocd's namespace; label tracking's
 * `app.kubernetes.io/instance` is not used: Helm charts set it too); Flux's
 * `kustomize.toolkit.fluxcd.io/{name,namespace}` and `helm.toolkit.fluxcd.io/{name,namespace}` labels.
 */
export function gitopsOwner(object: KubeObject): GitOpsOwner | undefined {
  const meta = isRecord(object.metadata) ? object.metadata : {}
  const labels = isRecord(meta.labels) ? meta.labels : {}
  const annotations = isRecord(meta.annotations) ? meta.annotations : {}
  const tracking = annotations[ARGO_TRACKING]
  if (typeof tracking === 'string' && tracking.includes(':')) {
    const app = tracking.slice(0, tracking.indexOf(':'))
    const [ns, name] = app.includes('_')
      ? [app.slice(0, app.indexOf('_')), app.slice(app.indexOf('_') + 1)]
      : [undefined, app]
    return owner('argocd', 'Application', ns, name)
  }
  for (const [tool, kind, prefix] of [
    ['flux', 'Kustomization', 'kustomize.toolkit.fluxcd.io'],
    ['flux', 'HelmRelease', 'helm.toolkit.fluxcd.io'],
  ] as const) {
    const name = labels[`${prefix}/name`]
    const ns = labels[`${prefix}/namespace`]
    if (typeof name === 'string' && name !== '') return owner(tool, kind, typeof ns === 'string' ? ns : undefined, name)
  }
  return undefined
}

function owner(
  tool: GitOpsOwner['tool'],
  kind: GitOpsOwner['kind'],
  namespace: string | undefined,
  name: string,
): GitOpsOwner {
  return {
    tool,
    kind,
    name,
    ...(namespace ? { namespace } : {}),
    application: `${kind} ${namespace ? `${namespace}/` : ''}${name}`,
  }
}
