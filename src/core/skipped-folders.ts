/**
 * Folders no walker enters, whatever it looks for (manifests, charts and overlays, policy
 * files, a Git tree, a copy for rendering, a reload hash): Git's own data and installed
 * packages are never a repository's deployable content. The one skip list.
 */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['.git', 'node_modules'])

/** Whether a walker skips a folder of this name. */
export function isSkippedFolder(name: string): boolean {
  return SKIPPED_FOLDERS.has(name)
}
