/**
 * GitOps-aware sources: find Helm charts, Kustomize overlays, Argo CD Applications and
 * ApplicationSets, and Flux Kustomizations and HelmReleases in a repository; render each
 * application once, in parallel, with the real helm and kubectl/kustomize; and map every
 * rendered object back to the repository file (and, where it can, the line) it came from.
 * An I/O edge: it runs binaries and reads files.
 */
export { scanGitOps } from './scan.js'
export { holdsChartsOrOverlays, namesGitOpsGroup, type ReadFile } from './inventory.js'
export type { GitOpsScanOptions, GitOpsScan, ConfiguredChart } from './scan.js'
export { findTools, PROJECT_TOOLS_DIR } from './tools.js'
export { lineSpan } from './render-env.js'
export { DEFAULT_LIMITS, type RenderLimits } from './exec.js'
export type { RenderTools, ToolBinary, ToolSearch } from './tools.js'
export { environmentFromLayout, environmentForName, LAYOUT_ENVIRONMENTS } from './environments.js'
export type { SourceReport, Target, RenderSpec, TargetOrigin } from './types.js'
