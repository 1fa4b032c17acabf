import type { Action, Severity, SourceSpan } from '../core/index.js'
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
  /** Namespaces (globs) in this environment, for admission requests. */
  namespaces: readonly string[]
  actions: ActionRules
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
  }
  actions: ActionRules
  environments: readonly EnvironmentConfig[]
  waivers: readonly Waiver[]
  failOn?: Severity
  /** Commit signing rules (`palisade verify-commits`). */
  signing?: SigningConfig
  /** Secret detection settings. */
  secrets?: SecretsConfig
  /** Owners of security-weakening changes (`palisade scan --baseline`). */
  review?: ReviewConfig
}

/** The configuration used when there is no palisade.yaml: every policy, every finding denies. */
export function defaultConfig(root: string): PalisadeConfig {
  return { root, policies: { select: 'all', disable: [], params: {} }, actions: {}, environments: [], waivers: [] }
}
