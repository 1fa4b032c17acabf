import type { Action, ErrorsMode, ImageRule, Severity, SourceSpan } from '../core/index.js'
import type { ReviewConfig, SecretsConfig, SigningConfig } from './gate-types.js'

/** An action that changes on a date: warn-first, then enforce. */
export interface ScheduledAction {
  action: Action
  /** ISO date (YYYY-MM-DD): from this day on, `then` applies. */
  until: string
  then: Action
}

/** Action rules at one level (global or one environment). More specific entries win. */
export interface ActionRules {
  default?: Action
  severity?: Partial<Record<Severity, Action>>
  policies?: Readonly<Record<string, Action | ScheduledAction>>
}

/** A named environment (dev, staging, production, ...) and how to recognise it. */
export interface EnvironmentConfig {
  name: string
  /** Globs (relative to the configuration file's folder) of files in this environment. */
  paths: readonly string[]
  /** Namespaces (globs) in this environment, for admission requests and Argo CD destinations. */
  namespaces: readonly string[]
  /** Destination clusters (globs over Argo CD destination name or server, Flux clusters/<name> folders). */
  clusters: readonly string[]
  actions: ActionRules
}

/** A chart to render with given values files, in addition to what the repository declares. */
export interface ChartRender {
  /** Chart folder, relative to the configuration file's folder. */
  path: string
  /** Values files, relative to the chart folder, in order (later wins). */
  valuesFiles: readonly string[]
  environment?: string
  releaseName?: string
  namespace?: string
}

/** How charts and overlays are rendered (the `render` section). */
export interface RenderConfig {
  /** Git URLs that name this repository, for Argo CD and Flux sources. */
  repoURLs: readonly string[]
  /** Pass --enable-helm to kustomize (helmCharts in kustomizations). Off by default. */
  kustomizeEnableHelm: boolean
  charts: readonly ChartRender[]
  /** Local copies of charts from Helm or OCI repositories, so HelmReleases and Applications using them render offline. */
  chartMirrors: readonly ChartMirror[]
  /** Limits of one helm/kustomize run (`render.limits`); absent fields take the defaults (120 s, 64 MiB output, 1024 MiB memory). */
  limits?: RenderLimitsConfig
}

/** `render.limits`: going over one is a render error. */
export interface RenderLimitsConfig {
  timeoutSeconds?: number
  maxOutputMiB?: number
  maxMemoryMiB?: number
}

/** A chart from a Helm or OCI repository, available in a local folder (`helm pull --untar`, a vendored copy, a monorepo). */
export interface ChartMirror {
  /** Repository URL as the HelmRepository, OCIRepository or Argo CD source names it. */
  repository: string
  /** Chart name; absent = any chart of that repository URL (OCI URLs name one chart). */
  chart?: string
  /** Folder holding Chart.yaml, relative to the configuration file's folder. */
  path: string
}

/** Which resources a waiver covers; globs, absent = any. */
export interface ResourceSelector {
  kind?: string
  namespace?: string
  name?: string
}

/** An accepted risk: who owns it, why, and until when. */
export interface Waiver {
  /** Policy id, or `*`. */
  policy: string
  resources: ResourceSelector
  environments?: readonly string[]
  reason: string
  owner: string
  /** ISO date (YYYY-MM-DD); the waiver stops applying after this day. */
  expires: string
  /** Where the waiver is written, for reports. */
  span?: SourceSpan
}

/** palisade.yaml, validated and with defaults filled in. */
export interface PalisadeConfig {
  /** Folder the configuration was read from; path globs are relative to it. */
  root: string
  /** File the configuration came from, if any. */
  file?: string
  policies: {
    select: string
    disable: readonly string[]
    params: Readonly<Record<string, Readonly<Record<string, unknown>>>>
    /** Where `select` and `disable` are written, for errors about what they leave. */
    spans?: { select?: SourceSpan; disable?: SourceSpan }
  }
  actions: ActionRules
  environments: readonly EnvironmentConfig[]
  waivers: readonly Waiver[]
  render: RenderConfig
  failOn?: Severity
  /** Whether errors block (default) or are only reported: files that could not be read, parsed or rendered, policies that could not evaluate. */
  errors?: ErrorsMode
  /** Commit signing rules (`palisade verify-commits`). */
  signing?: SigningConfig
  /** Secret detection settings. */
  secrets?: SecretsConfig
  /** Owners of security-weakening changes (`palisade scan --baseline`). */
  review?: ReviewConfig
  /** Image rules (`images:`): digests, signatures, promotion, scan reports. */
  images?: readonly ImageRule[]
  /** The findings store (`store:`): where it is and what counts (docs/store.md). */
  store?: StoreSettings
}

/**
 * `store:` in palisade.yaml. A PostgreSQL URL is never written here (it would hold a
 * password): it comes from --store or PALISADE_STORE_URL.
 */
export interface StoreSettings {
  /** Record every `palisade scan` (as --record does). */
  record: boolean
  /** Embedded store folder, relative to the configuration file's folder (never outside it). */
  path?: string
  /** Where `path` is written, for errors about it. */
  pathSpan?: SourceSpan
  /** A policy is "ready to enforce" in an environment after this many days without a finding there (default 14). */
  readyAfterDays?: number
  /** Days admission decisions are kept (default 90). */
  retentionDays?: number
  /** A deployment reverted within this many days counts as a failed change (default 7). */
  revertWindowDays?: number
}

/** The configuration used when there is no palisade.yaml: every policy, every finding denies. */
export function defaultConfig(root: string): PalisadeConfig {
  return {
    root,
    policies: { select: 'all', disable: [], params: {} },
    actions: {},
    environments: [],
    waivers: [],
    render: { repoURLs: [], kustomizeEnableHelm: false, charts: [], chartMirrors: [] },
  }
}

/**
 * Environments assumed when the configuration defines none, for environments recognised
 * from the repository layout (clusters/production, overlays/staging, values-dev.yaml):
 * production keeps the global actions (deny unless configured), staging, dev and qa warn.
 * So a misconfiguration warns where it is tried out and blocks where it ships.
 */
export function withLayoutEnvironments(config: PalisadeConfig): PalisadeConfig {
  if (config.environments.length > 0) return config
  const env = (name: string, actions: ActionRules): EnvironmentConfig => ({
    name,
    paths: [],
    namespaces: [],
    clusters: [],
    actions,
  })
  return {
    ...config,
    environments: [
      env('production', {}),
      env('staging', { default: 'warn' }),
      env('dev', { default: 'warn' }),
      env('qa', { default: 'warn' }),
    ],
  }
}
