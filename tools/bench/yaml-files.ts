import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Every `.yaml`/`.yml` file under `dir`, depth first, names sorted: the order the in-process benches read a corpus in. */
export function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) yamlFiles(p, out)
    else if (/\.ya?ml$/.test(name)) out.push(p)
  }
  return out
}
