/**
 * palisade.yaml: parse and validate it (with positions), then resolve environments,
 * actions (per environment, policy and severity, with warn-until-date schedules) and
 * waivers. Pure: the clock is passed in.
 */
export { parseConfig, isRealDate } from './parse.js'
export { createResolver, isoDay } from './resolve.js'
export type { ConfigResolver } from './resolve.js'
export { defaultConfig, withLayoutEnvironments } from './types.js'
export type {
  PalisadeConfig,
  StoreSettings,
  EnvironmentConfig,
  RenderConfig,
  ChartRender,
  ChartMirror,
  ActionRules,
  ScheduledAction,
  Waiver,
  ResourceSelector,
} from './types.js'
export { CONFIG_SCHEMA } from './schema.js'
export type { SigningConfig, SecretsConfig, ReviewConfig } from './gate-types.js'
export { parseDuration } from './images-parse.js'
