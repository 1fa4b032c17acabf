import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ToolError } from '../core/index.js'
import { createValidator, type KubeValidator } from './validator.js'

/** .tools/schemas of the Palisade checkout, filled by `npm ci` (tools/install-tools.ts). */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../.tools/schemas/', import.meta.url))

/** Kubernetes versions (`1.N`) whose schemas are installed. */
export async function installedKubernetesVersions(dir = SCHEMAS_DIR): Promise<string[]> {
  const entries = await readdir(dir).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [] as string[]
    throw new ToolError('FILE_UNREADABLE', `cannot read ${dir}`, { cause: error })
  })
  return entries
    .filter((e) => /^v1\.\d+$/.test(e))
    .map((e) => e.slice(1))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
}

/**
 * Load the validator for a Kubernetes version (`1.35`) from the offline schemas; `strict`
 * rejects unknown fields (kubeconform -strict). A version that is not installed is a usage error.
 */
export async function loadValidator(
  version: string,
  options: { strict?: boolean; dir?: string } = {},
): Promise<KubeValidator> {
  const dir = options.dir ?? SCHEMAS_DIR
  const file = path.join(dir, `v${version}`, options.strict ? 'definitions-strict.json' : 'definitions.json')
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const installed = await installedKubernetesVersions(dir)
    throw new ToolError('USAGE', `no Kubernetes ${version} schemas in ${dir}`, {
      cause: error,
      hint:
        installed.length > 0
          ? `installed versions: ${installed.join(', ')}`
          : 'run npm ci in the Palisade checkout (tools/install-tools.ts installs the schemas)',
    })
  }
  return createValidator(JSON.parse(text) as unknown, version)
}
