import path from 'node:path'
import picomatch from 'picomatch'
import type { Action, ResourceRef, Severity } from '../core/index.js'
import type { ActionRules, EnvironmentConfig, PalisadeConfig, ScheduledAction, Waiver } from './types.js'

/** Today as YYYY-MM-DD (UTC) for date comparisons; the clock is passed in by the caller. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10)
}

/**
 * A configuration prepared for lookups: globs compiled once.
 */
export interface ConfigResolver {
  readonly config: PalisadeConfig
  /** The environment a file belongs to (first matching environment in file order), if any. */
  environmentForFile(file: string): string | undefined
  /** The environment of a namespace (admission requests), if any. */
  environmentForNamespace(namespace: string): string | undefined
  /** The environment of a destination cluster (Argo CD destination name or server, Flux clusters/<name>), if any. */
  environmentForCluster(cluster: string): string | undefined
  /** The action for a finding of this policy and severity in this environment, today. */
  actionFor(policyId: string, severity: Severity, environment: string | undefined): Action
  /** The waiver that covers this finding today, or an expired one that would have. */
  waiverFor(
    policyId: string,
    resource: ResourceRef,
    environment: string | undefined,
  ): { waiver: Waiver; expired: boolean } | undefined
}

/** Prepare a configuration for lookups. `now` decides scheduled actions and waiver expiry. */
export function createResolver(config: PalisadeConfig, now: Date): ConfigResolver {
  const today = isoDay(now)
  const envs = config.environments.map((env) => ({
    env,
    file: env.paths.length ? picomatch([...env.paths], { dot: true }) : undefined,
    namespace: env.namespaces.length ? picomatch([...env.namespaces]) : undefined,
    cluster: env.clusters.length ? picomatch([...env.clusters], { dot: true }) : undefined,
  }))
  const byName = new Map<string, EnvironmentConfig>(config.environments.map((e) => [e.name, e]))
  const waivers = config.waivers.map((waiver) => ({
    waiver,
    kind: glob(waiver.resources.kind),
    namespace: glob(waiver.resources.namespace),
    name: glob(waiver.resources.name),
  }))

  const pick = (rules: ActionRules | undefined, policyId: string): Action | undefined => {
    const rule = rules?.policies?.[policyId]
    return rule === undefined ? undefined : typeof rule === 'string' ? rule : scheduled(rule, today)
  }

  const root = toPosix(config.root)
  const byFile = new Map<string, string | undefined>()
  return {
    config,
    environmentForFile(file) {
      if (byFile.has(file)) return byFile.get(file)
      const rel = path.posix.relative(root, toPosix(file))
      const name = envs.find((e) => e.file?.(rel))?.env.name
      byFile.set(file, name)
      return name
    },
    environmentForNamespace(namespace) {
      return envs.find((e) => e.namespace?.(namespace))?.env.name
    },
    environmentForCluster(cluster) {
      return envs.find((e) => e.cluster?.(cluster))?.env.name
    },
    actionFor(policyId, severity, environment) {
      const env = environment === undefined ? undefined : byName.get(environment)?.actions
      return (
        pick(env, policyId) ??
        pick(config.actions, policyId) ??
        env?.severity?.[severity] ??
        config.actions.severity?.[severity] ??
        env?.default ??
        config.actions.default ??
        'deny'
      )
    },
    waiverFor(policyId, resource, environment) {
      let expired: Waiver | undefined
      for (const w of waivers) {
        const { waiver } = w
        if (waiver.policy !== '*' && waiver.policy !== policyId) continue
        if (waiver.environments && (environment === undefined || !waiver.environments.includes(environment))) continue
        if (!w.kind(resource.kind) || !w.namespace(resource.namespace ?? '') || !w.name(resource.name)) continue
        if (waiver.expires >= today) return { waiver, expired: false }
        expired ??= waiver
      }
      return expired ? { waiver: expired, expired: true } : undefined
    },
  }
}

function scheduled(rule: ScheduledAction, today: string): Action {
  return today < rule.until ? rule.action : rule.then
}

function glob(pattern: string | undefined): (value: string) => boolean {
  return pattern === undefined ? () => true : picomatch(pattern, { dot: true })
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}
