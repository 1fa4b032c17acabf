import path from 'node:path'
import { relPath, type DiscoveryContext } from './discovery-context.js'
import { environmentFromLayout } from './environments.js'
import type { Inventory } from './inventory.js'
import type { KustomizationRefs } from './kustomization-refs.js'
import type { Target } from './types.js'

/**
 * Charts and overlays scanned on their own, for those no application covers: every chart
 * with its default values, plus one target per environment values file
 * (`values-production.yaml`, `values.staging.yaml`) in that environment; every root
 * overlay (a kustomization no other kustomization references) that is not a Component.
 */
export function standaloneTargets(
  inventory: Inventory,
  refs: KustomizationRefs,
  environments: readonly string[],
  ctx: DiscoveryContext,
): Target[] {
  const targets: Target[] = []
  for (const chartDir of inventory.charts) {
    const name = path.basename(chartDir)
    const rel = relPath(ctx, chartDir)
    targets.push({
      origin: { kind: 'helm-chart', name, file: ctx.display(path.join(chartDir, 'Chart.yaml')) },
      render: { tool: 'helm', chartDir, releaseName: releaseName(name), valuesFiles: [] },
      path: rel,
    })
    for (const file of inventory.chartValues.get(chartDir) ?? []) {
      const layout = environmentFromLayout(file, environments)
      if (!layout) continue
      targets.push({
        origin: { kind: 'helm-chart', name: `${name} (${file})`, file: ctx.display(path.join(chartDir, 'Chart.yaml')) },
        render: { tool: 'helm', chartDir, releaseName: releaseName(name), valuesFiles: [path.join(chartDir, file)] },
        path: rel,
        environment: layout.environment,
        environmentReason: `values file ${file}`,
        variant: true,
      })
    }
  }
  for (const { dir, file } of inventory.kustomizations) {
    // A Component is not buildable on its own: it is rendered through the kustomizations that use it.
    if (refs.referencedDirs.has(dir) || inventory.charts.includes(dir) || refs.components.has(dir)) continue
    targets.push({
      origin: { kind: 'kustomization', name: relPath(ctx, dir), file: ctx.display(file) },
      render: { tool: 'kustomize', dir, enableHelm: false },
      path: relPath(ctx, dir),
    })
  }
  return targets
}

/** Helm release names are DNS labels. */
function releaseName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 53) || 'release'
  )
}
