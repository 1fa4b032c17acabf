import { readFileSync } from 'node:fs'

/**
 * The package version, from package.json (two folders up from src/cli, dist/cli and dist/bundle
 * alike). Read and parsed, not required: a require resolved and loaded it as a module on every run.
 */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version
