import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** A repository built in a temp folder from files (path → text) and symbolic links (path → target). */
export async function hostileRepo(
  files: Record<string, string>,
  links: Record<string, string> = {},
): Promise<{ root: string; outside: string; remove(): Promise<void> }> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'palisade-hostile-'))
  const root = path.join(base, 'repo')
  const outside = path.join(base, 'outside')
  await mkdir(outside, { recursive: true })
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await writeFile(path.join(root, file), text)
  }
  for (const [link, target] of Object.entries(links)) {
    await mkdir(path.dirname(path.join(root, link)), { recursive: true })
    await symlink(target, path.join(root, link))
  }
  return { root, outside, remove: () => rm(base, { recursive: true, force: true }) }
}

export const CHART_YAML = 'apiVersion: v2\nname: web\nversion: 0.1.0\n'
