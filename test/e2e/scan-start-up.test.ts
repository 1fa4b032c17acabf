import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, type Metafile } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli } from './run-cli.js'

/**
 * What `palisade scan` initialises at start-up is what its command module imports statically:
 * in the bundle every module it reaches that way runs its top-level code before the scan
 * starts, on every pre-commit run. The rest is imported on first use (`await import()`).
 * Read from esbuild's own view of the built modules (`npm run build` first).
 */
async function staticallyReached(entry: string): Promise<Set<string>> {
  const { metafile } = await build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['openpgp', '@electric-sql/pglite', 'pg', 'playwright-core'],
  })
  const inputs: Metafile['inputs'] = metafile.inputs
  const reached = new Set([entry])
  const queue = [entry]
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const imported of inputs[file]?.imports ?? []) {
      if (imported.kind !== 'import-statement' || reached.has(imported.path)) continue
      reached.add(imported.path)
      queue.push(imported.path)
    }
  }
  return reached
}

describe('what a scan loads at start-up (the pre-commit path)', () => {
  it('does not initialise the cluster client, the supply chain, the Kyverno/Gatekeeper layer or a schema compiler', async () => {
    const reached = [...(await staticallyReached('dist/cli/scan-command.js'))]
    // Each is needed only by other commands or by options a plain scan does not have
    // (image rules in palisade.yaml, --policy-dir, --validate-schema).
    for (const prefix of [
      'dist/cluster/',
      'dist/live/',
      'dist/supply/',
      'node_modules/@sigstore/',
      'dist/compat/',
      'dist/rego/',
      'node_modules/@jmespath-community/',
      'dist/schema/',
      // palisade.yaml's schema is compiled at build time: ajv's compiler is not loaded, only a runtime helper.
      'node_modules/ajv/dist/ajv.js',
      'node_modules/ajv/dist/compile/',
      'node:https',
      'node:tls',
    ])
      expect(reached.filter((file) => file.startsWith(prefix))).toEqual([])
    // The walk itself is sound: what a scan does need is reached.
    expect(reached).toEqual(expect.arrayContaining(['dist/app/scan.js', 'dist/pipeline/index.js', 'node:crypto']))
  })

  // palisade.yaml is checked by its schema as compiled by ajv at build time (src/config/config-validator.ts):
  // in the bundle as in the sources, minLength counts code points with ajv's own helper.
  it('checks palisade.yaml with the schema compiled at build time, lengths in code points', () => {
    const scan = (reason: string): ReturnType<typeof runCli> => {
      const dir = mkdtempSync(join(tmpdir(), 'palisade-config-'))
      writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n')
      writeFileSync(
        join(dir, 'palisade.yaml'),
        `secrets:\n  allow:\n    - { fingerprint: 0123456789abcdef0123456789abcdef, reason: "${reason}" }\n`,
      )
      return runCli(['scan', dir, '--no-render', '--format', 'json'], { cwd: dir })
    }
    // Two emoji: four UTF-16 code units, two characters, under the minimum of 3.
    const short = scan('\\U0001F600\\U0001F600')
    expect(short.code).toBe(2)
    expect(short.stderr).toContain('palisade.yaml:3:56: secrets.allow.0.reason: must NOT have fewer than 3 characters')
    expect(scan('\\U0001F600ab').code).toBe(0)
  })
})
