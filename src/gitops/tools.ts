import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ToolError } from '../core/index.js'

/** A renderer binary and where it was found. */
export interface ToolBinary {
  path: string
  /** `flag`, `project` (.tools/bin of a Palisade checkout) or `PATH`. */
  foundIn: 'flag' | 'project' | 'PATH'
}

/** The binaries a scan renders with; absent ones make the charts or overlays that need them unscanned. */
export interface RenderTools {
  helm?: ToolBinary
  /** kubectl (`kubectl kustomize DIR`) or a kustomize binary (`kustomize build DIR`). */
  kustomize?: ToolBinary & { args: readonly string[] }
}

/** Where to look for binaries. `pathEnv` is the PATH variable, passed in by the CLI. */
export interface ToolSearch {
  helm?: string
  kubectl?: string
  kustomize?: string
  pathEnv?: string
  /** Folder of bundled binaries; defaults to .tools/bin of the Palisade checkout this code runs from. */
  projectBin?: string | null
}

/** .tools/bin next to src/ or dist/: filled by `npm ci` in a Palisade checkout (tools/install-tools.ts). */
export const PROJECT_TOOLS_DIR = fileURLToPath(new URL('../../.tools/', import.meta.url))

/**
 * Find helm and kustomize: the flags first, then the project-local .tools/bin when running
 * from a Palisade checkout, then PATH. A flag naming a missing file is an error (the user
 * asked for it); otherwise a tool that is not found is simply absent.
 */
export async function findTools(search: ToolSearch): Promise<RenderTools> {
  const projectBin = search.projectBin === undefined ? path.join(PROJECT_TOOLS_DIR, 'bin') : search.projectBin
  const dirs = (search.pathEnv ?? '').split(path.delimiter).filter((d) => d !== '')
  const find = async (flag: string | undefined, flagName: string, name: string): Promise<ToolBinary | undefined> => {
    if (flag !== undefined) {
      if (await isExecutable(flag)) return { path: path.resolve(flag), foundIn: 'flag' }
      throw new ToolError('USAGE', `${flagName} ${flag}: no executable file there`, {
        hint: `give the path of the ${name} binary`,
      })
    }
    if (projectBin !== null && (await isExecutable(path.join(projectBin, name))))
      return { path: path.join(projectBin, name), foundIn: 'project' }
    for (const dir of dirs)
      if (await isExecutable(path.join(dir, name))) return { path: path.join(dir, name), foundIn: 'PATH' }
    return undefined
  }
  const tools: RenderTools = {}
  const helm = await find(search.helm, '--helm', 'helm')
  if (helm) tools.helm = helm
  if (search.kustomize !== undefined) {
    const k = await find(search.kustomize, '--kustomize', 'kustomize')
    if (k) tools.kustomize = { ...k, args: ['build'] }
  } else {
    const kubectl = await find(search.kubectl, '--kubectl', 'kubectl')
    if (kubectl) tools.kustomize = { ...kubectl, args: ['kustomize'] }
    else {
      const k = await find(undefined, '--kustomize', 'kustomize')
      if (k) tools.kustomize = { ...k, args: ['build'] }
    }
  }
  return tools
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK)
    return true
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'EACCES' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    )
      return false
    throw new ToolError('FILE_UNREADABLE', `cannot check ${file}`, { cause: error })
  }
}
