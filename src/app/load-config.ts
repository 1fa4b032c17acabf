import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { ToolError, describeError, type Diagnostic } from '../core/index.js'
import { defaultConfig, parseConfig, type PalisadeConfig } from '../config/index.js'
import type { AppIo } from './io.js'

/** The names palisade.yaml is looked for by, in order. */
export const CONFIG_NAMES = ['palisade.yaml', 'palisade.yml', '.palisade.yaml']

/**
 * Find and read the configuration: `--config FILE`, else palisade.yaml in the first
 * scanned folder, else in the working directory, else the defaults. Invalid
 * configuration is a usage error (exit 2) carrying every diagnostic.
 */
export async function loadConfig(
  explicit: string | undefined,
  scanPaths: readonly string[],
  io: AppIo,
): Promise<PalisadeConfig> {
  const file = explicit === undefined ? await discover(scanPaths, io) : path.resolve(io.cwd, explicit)
  if (file === undefined) return defaultConfig('.')
  const shown = path.relative(io.cwd, file) || file
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ToolError('CONFIG_INVALID', `cannot read configuration ${shown}: ${describeError(error)}`, {
      cause: error,
    })
  }
  const root = path.relative(io.cwd, path.dirname(file)) || '.'
  const { config, diagnostics } = parseConfig(text, shown, root)
  if (!config) throw new ConfigError(diagnostics)
  return config
}

/** Invalid configuration, with every problem found. */
export class ConfigError extends ToolError {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(
      'CONFIG_INVALID',
      `invalid configuration (${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'})`,
    )
  }
}

async function discover(scanPaths: readonly string[], io: AppIo): Promise<string | undefined> {
  const dirs: string[] = []
  const first = scanPaths.find((p) => p !== '-')
  if (first !== undefined) {
    const abs = path.resolve(io.cwd, first)
    const info = await stat(abs).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new ToolError('FILE_UNREADABLE', `cannot read ${first}: ${describeError(error)}`, { cause: error })
    })
    if (info?.isDirectory()) dirs.push(abs)
  }
  dirs.push(io.cwd)
  for (const dir of dirs) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name)
      const exists = await stat(candidate).then(
        (s) => s.isFile(),
        (error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
          throw new ToolError('FILE_UNREADABLE', `cannot read ${candidate}: ${describeError(error)}`, { cause: error })
        },
      )
      if (exists) return candidate
    }
  }
  return undefined
}
