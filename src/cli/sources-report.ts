import type { SourceReport } from '../gitops/index.js'
import type { NotScanned } from '../report/index.js'
import type { SchemaSummary } from '../app/index.js'

const KIND: Record<SourceReport['kind'], string> = {
  'argocd-application': 'Argo CD Application',
  'argocd-applicationset': 'Argo CD ApplicationSet',
  'flux-kustomization': 'Flux Kustomization',
  'flux-helmrelease': 'Flux HelmRelease',
  'helm-chart': 'Helm chart',
  kustomization: 'Kustomize overlay',
}

/**
 * The text report's section on what was rendered, how, for which environment, and what could
 * not be. By default it lists only the sources that were not scanned or failed (with a count
 * of the others); `verbose` lists every source.
 */
export function formatSourcesText(
  sources: readonly SourceReport[],
  stats: { renders: number; wallMs: number },
  schema?: SchemaSummary,
  verbose = false,
): string {
  const lines: string[] = []
  if (sources.length > 0) {
    const count = (s: SourceReport['status']): number => sources.filter((x) => x.status === s).length
    lines.push(
      `GitOps sources: ${count('scanned')} scanned, ${count('failed')} failed, ${count('unscanned')} not scanned (${stats.renders} renders in ${(stats.wallMs / 1000).toFixed(1)} s)`,
    )
    const shown = verbose ? sources : sources.filter((s) => s.status !== 'scanned')
    const hidden = sources.length - shown.length
    for (const s of shown) {
      const status = s.status === 'unscanned' ? 'not scanned' : s.status
      const how = s.renderer ? ` (${s.renderer})` : ''
      const env = s.environment ? `  env ${s.environment}${s.environmentReason ? ` [${s.environmentReason}]` : ''}` : ''
      const objects = s.status === 'scanned' ? `  ${s.resources} object${s.resources === 1 ? '' : 's'}` : ''
      lines.push(`  ${status.padEnd(11)} ${KIND[s.kind]} ${s.name}: ${s.path}${how}${env}${objects}`)
      if (s.reason) lines.push(`  ${''.padEnd(11)}   ${s.status === 'scanned' ? 'note' : 'why'}: ${s.reason}`)
    }
    if (hidden > 0)
      lines.push(`  and ${hidden} scanned source${hidden === 1 ? '' : 's'} (--verbose lists every source)`)
  }
  if (schema)
    lines.push(
      `Schema (Kubernetes ${schema.kubernetesVersion}): ${schema.valid} valid, ${schema.invalid} invalid, ${schema.skipped} skipped (no schema)`,
    )
  return lines.length > 0 ? `${lines.join('\n')}\n` : ''
}

/** The sources found but not scanned (not rendered, or the render failed), for the SARIF and Markdown reports. */
export function notScannedSources(sources: readonly SourceReport[]): NotScanned[] {
  return sources.flatMap((s) =>
    s.status === 'scanned'
      ? []
      : [
          {
            name: `${KIND[s.kind]} ${s.name}`,
            ...(s.file === undefined ? {} : { file: s.file }),
            status: s.status,
            reason: s.reason ?? (s.status === 'failed' ? 'render failed' : 'not rendered'),
          },
        ],
  )
}

/** The `sources` (and `schema`) fields a GitOps scan adds to the JSON report, after every contract field. */
export function jsonSourceFields(sources: readonly SourceReport[], schema?: SchemaSummary): Record<string, unknown> {
  return { sources, ...(schema ? { schema } : {}) }
}
