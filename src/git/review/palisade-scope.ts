import { escapePointerToken } from '../../core/index.js'
import type { PalisadeConfig } from '../../config/index.js'
import type { WeakeningChange } from './types.js'

type Add = (messageId: string, message: string, path: string, severity?: WeakeningChange['severity']) => void

/** JSON with sorted keys: the same settings written in another order are the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  )
}

const matchers = (e: PalisadeConfig['environments'][number]): string => canonical([e.paths, e.namespaces, e.clusters])

/**
 * What palisade.yaml changes about which findings are checked and how, besides actions
 * and waivers: which files, namespaces and clusters fall in which environment (first
 * match wins, so order counts), `errors: report` (what could not be checked stops
 * blocking), policy parameters, the secret entropy thresholds, what is rendered in place
 * of what is deployed (repoURLs, chart mirrors, kustomize helm, chart renders), image
 * rules, commit signing trust anchors, where scans record (`store`), and the owners who
 * review these changes.
 */
export function detectScopeChanges(base: PalisadeConfig, head: PalisadeConfig, add: Add): void {
  const baseEnvs = new Map(base.environments.map((e, i) => [e.name, { env: e, index: i }]))
  const headNames = new Set(head.environments.map((e) => e.name))
  const kept = head.environments.filter((e) => baseEnvs.has(e.name)).map((e) => e.name)
  const keptBefore = base.environments.filter((e) => headNames.has(e.name)).map((e) => e.name)
  head.environments.forEach((e, i) => {
    const old = baseEnvs.get(e.name)
    if (!old)
      add(
        'palisadeEnvironmentChanged',
        `palisade.yaml adds environment ${e.name}: what it matches takes its actions`,
        `/environments/${i}`,
        'medium',
      )
    else if (matchers(old.env) !== matchers(e))
      add(
        'palisadeEnvironmentChanged',
        `palisade.yaml changes which files, namespaces or clusters environment ${e.name} matches`,
        `/environments/${i}`,
      )
    else if (kept.indexOf(e.name) !== keptBefore.indexOf(e.name))
      add(
        'palisadeEnvironmentChanged',
        `palisade.yaml moves environment ${e.name} (the first matching environment wins)`,
        `/environments/${i}`,
      )
  })
  for (const e of base.environments)
    if (!headNames.has(e.name))
      add(
        'palisadeEnvironmentChanged',
        `palisade.yaml removes environment ${e.name}: what it matched takes another environment's or the global actions`,
        '/environments',
      )
  if ((head.errors ?? 'block') === 'report' && (base.errors ?? 'block') === 'block')
    add(
      'palisadeErrorsUnblocked',
      'palisade.yaml sets errors: report: files that cannot be read, parsed or rendered and policies that cannot be evaluated no longer block',
      '/errors',
    )
  const params = new Set([...Object.keys(base.policies.params), ...Object.keys(head.policies.params)])
  for (const id of params)
    if (canonical(base.policies.params[id]) !== canonical(head.policies.params[id]))
      add(
        'palisadeParamsChanged',
        `palisade.yaml changes the parameters of policy ${id}`,
        id in head.policies.params ? `/policies/params/${escapePointerToken(id)}` : '/policies',
        'medium',
      )
  if (canonical(base.secrets?.entropy) !== canonical(head.secrets?.entropy))
    add('palisadeSecretAllowed', 'palisade.yaml changes the secret entropy thresholds', '/secrets', 'medium')
  const render: [string, unknown, unknown][] = [
    ['repoURLs', base.render.repoURLs, head.render.repoURLs],
    ['chartMirrors', base.render.chartMirrors, head.render.chartMirrors],
    ['kustomize', base.render.kustomizeEnableHelm, head.render.kustomizeEnableHelm],
  ]
  for (const [field, before, after] of render)
    if (canonical(before) !== canonical(after))
      add(
        'palisadeRenderChanged',
        `palisade.yaml changes render.${field}: what is rendered and checked may no longer be what is deployed`,
        `/render/${field}`,
        'medium',
      )
  const charts = new Set(head.render.charts.map(canonical))
  if (base.render.charts.some((c) => !charts.has(canonical(c))))
    add('palisadeRenderChanged', 'palisade.yaml removes or changes a chart render', '/render/charts', 'medium')
  const images = new Set((head.images ?? []).map(canonical))
  if ((base.images ?? []).some((r) => !images.has(canonical(r))))
    add('palisadeImagesRelaxed', 'palisade.yaml removes or changes an image rule', '/images')
  if ((base.signing?.allowedSigners ?? '') !== (head.signing?.allowedSigners ?? '') && head.signing?.allowedSigners)
    add(
      'palisadeSigningRelaxed',
      `palisade.yaml reads trusted commit signers from ${head.signing.allowedSigners} instead`,
      '/signing/allowedSigners',
    )
  const keys = new Set(base.signing?.openpgpKeys ?? [])
  head.signing?.openpgpKeys.forEach((key, i) => {
    if (!keys.has(key))
      add('palisadeSigningRelaxed', `palisade.yaml trusts OpenPGP key file ${key}`, `/signing/openpgpKeys/${i}`)
  })
  if ((base.store?.path ?? '') !== (head.store?.path ?? '') || (!base.store?.record && head.store?.record === true))
    add(
      'palisadeStoreChanged',
      `palisade.yaml ${head.store?.path === undefined ? 'changes' : `points store.path at ${head.store.path}, changing`} where scans record their findings (a folder the CI runner writes to)`,
      '/store',
      'medium',
    )
  if (canonical(base.review?.owners ?? []) !== canonical(head.review?.owners ?? []))
    add(
      'palisadeReviewChanged',
      "palisade.yaml changes review.owners (this change is reviewed by the base's owners)",
      '/review/owners',
    )
}
