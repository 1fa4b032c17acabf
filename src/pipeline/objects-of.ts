import type { Diagnostic, LocatedResource } from '../core/index.js'
import { resourcesOf, type SourceText } from './resources.js'

/**
 * `resourcesOf` for a pass that needs the objects, not where they are: the same resources (the
 * same documents skipped, Lists expanded, the same order, so the same place of each in its
 * file), the same objects and the same diagnostics, read without recording positions (the fast
 * reader's events cost about a quarter of its read). `locate` still works: a resource's first
 * one reads its file again, recording. For the streaming scan's first pass, which keeps
 * Namespaces and the parts cross-resource policies read and never locates anything.
 */
export function objectsOf(source: SourceText): { resources: LocatedResource[]; diagnostics: Diagnostic[] } {
  return resourcesOf(source, { positions: false })
}
