import { lstatSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** Every YAML and JSON file under a folder, sorted (for tests over ../shared/corpus). */
export function yamlFilesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    const stat = lstatSync(path)
    if (stat.isDirectory()) yamlFilesUnder(path, out)
    else if (stat.isFile() && /\.(ya?ml|json)$/i.test(name)) out.push(path)
  }
  return out
}
