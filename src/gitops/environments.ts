/**
 * Environment names recognised from common repository layouts (environments/prod,
 * overlays/production, clusters/staging, values-production.yaml, prod-eu-1), grouped by
 * the canonical name they map to.
 */
export const LAYOUT_ENVIRONMENTS: Readonly<Record<string, readonly string[]>> = {
  production: ['production', 'prod', 'prd', 'live'],
  staging: ['staging', 'stage', 'stg', 'preprod', 'pre-production', 'uat'],
  dev: ['dev', 'development', 'develop', 'sandbox'],
  qa: ['qa'],
}

const ALIAS = new Map<string, string>(
  Object.entries(LAYOUT_ENVIRONMENTS).flatMap(([canonical, names]) => names.map((n) => [n, canonical] as const)),
)

/**
 * The environment a name stands for: a configured environment of that exact name, else
 * the layout group it belongs to (`prod` → `production`), reported under the configured
 * name of that group if there is one (configuration says `prod`: `production` → `prod`).
 */
export function environmentForName(name: string, configured: readonly string[]): string | undefined {
  const lower = name.toLowerCase()
  if (configured.includes(lower)) return lower
  const canonical = ALIAS.get(lower)
  if (canonical === undefined) return undefined
  const group = LAYOUT_ENVIRONMENTS[canonical] ?? []
  return configured.find((c) => c === canonical) ?? configured.find((c) => group.includes(c)) ?? canonical
}

/**
 * Environment from a repository-relative path by layout: the deepest folder (or values
 * file `values-<env>.yaml` / `values.<env>.yaml`) whose name, or one of whose `-`/`_`/`.`
 * separated parts, names an environment. Returns the name and the path part it came from.
 */
export function environmentFromLayout(
  relPath: string,
  configured: readonly string[],
): { environment: string; reason: string } | undefined {
  const parts = relPath.split('/').filter((p) => p !== '' && p !== '.')
  // Only folders inside the repository say anything: a checkout under /srv/staging-runner/ is not staging.
  if (parts.includes('..')) return undefined
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] as string
    const file = /^values[-._](.+)\.ya?ml$/i.exec(part)
    const candidates = file ? [file[1] as string] : [part, ...part.split(/[-_.]/)]
    for (const candidate of candidates) {
      const environment = environmentForName(candidate, configured)
      if (environment !== undefined) return { environment, reason: `layout ${parts.slice(0, i + 1).join('/')}` }
    }
  }
  return undefined
}
