/**
 * Pure orchestration: source texts → resources (YAML with positions) → engine →
 * findings with file, line, column, environment, action and waiver.
 */
export { checkSources, checkResources } from './check.js'
export type { CheckOptions } from './check.js'
export { resourcesOf } from './resources.js'
export { objectsOf } from './objects-of.js'
export { EarlierFirsts, firstPassParts, firstPassPlaces } from './kept-parts.js'
export type { SourceText } from './resources.js'
export type { LocatedResource } from '../core/index.js'
export { WAIVER_ANNOTATION_PREFIX } from './waivers.js'
export { exitCodeFor } from './blocking.js'
export { placeViolation, checkObject } from './place.js'
export type { PlacedFinding, Placement, ObjectCheck } from './place.js'
export { RunParts, crossReadsDeclared, filePartsOf } from './run-parts.js'
export type { FileParts } from './run-parts.js'
export { runOutcomesFrom } from './run-outcomes.js'
export type { CrossOutcome, RunOutcomes, RunOutcomesData } from './run-outcomes.js'
