/**
 * `palisade fix` and `/mutate`'s shared fix model: choose the fixes of a resource's
 * findings (safe ones, or unsafe ones too when asked; never one the API server would
 * reject; the PSS restricted set as one change), plan them as minimal edits of the source
 * text (comments, layout, quoting and line endings kept), and judge the re-scan that
 * proves them. Pure: no I/O. README.md explains the choices.
 */
export { selectFixes, RESTRICTED_SET } from './select.js'
export type { FixableFinding, Left, LeftReason, SelectOptions, Selection } from './select.js'
export { planFixes } from './plan.js'
export type { AppliedFix, FileChange, FileFix, FixPlan, FixTarget } from './plan.js'
export { changedRegion, lineChanges, splitLines } from './hunks.js'
export type { LineChange } from './hunks.js'
export { proofProblems } from './verify.js'
export type { ScanState } from './verify.js'
export { unifiedDiff } from './unified-diff.js'
export { fixedFindings, reasonCounts, REASON_ORDER, REASON_TEXT } from './outcome.js'
export type { FixOutcome } from './outcome.js'
export { formatFixDiff, formatFixJson, formatFixMarkdown, formatFixText } from './report.js'
export { planEdits } from './plan.js'
export type { EditRequest } from './plan.js'
export { planRenderedFixes } from './rendered.js'
export type { RenderedTarget } from './rendered.js'
export { sourceEdit } from './source-map.js'
export type { RenderedSource, SourceEdit } from './source-map.js'
export { applyTemplateEdits, templateEdit } from './template-edit.js'
export type { TemplateEdit } from './template-edit.js'
