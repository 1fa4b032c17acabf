// `npm run bundle`: bundle dist/cli/main.js into one CommonJS file, dist/bundle/palisade.cjs
// (docs/architecture.md, "Build and start-up"), then write its V8 code cache.
//
// The bundle is made pure ASCII: bin/load-bundle.js then reads it as Latin-1, a plain copy
// of the bytes (~1 ms for 4 MB), where decoding it as UTF-8 cost 20-40 ms of every run.
// esbuild escapes non-ASCII characters in strings and identifiers but not in regular
// expression literals or comments (a few `µs` duration patterns); there, and anywhere, a
// `\uXXXX` escape means the same character.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outfile = path.join(root, 'dist/bundle/palisade.cjs')

/**
 * src/yaml/js-yaml.ts loads js-yaml's CommonJS build with createRequire (its ES module build is
 * 3.3x slower on Node 20, see there), a call esbuild cannot follow: the bundle then loaded and
 * compiled js-yaml from node_modules on every run, outside the code cache (~13 ms of a small
 * scan). In the bundle the call becomes a plain require, which esbuild resolves to the same
 * CommonJS build (the "require" condition of js-yaml's exports) and bundles.
 */
const bundleJsYamlCommonJs = {
  name: 'bundle-js-yaml-commonjs',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]yaml[\\/]js-yaml\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8')
      const call = "createRequire(import.meta.url)('js-yaml')"
      if (text.split(call).length !== 2) throw new Error(`${args.path}: expected one ${call}`)
      return { contents: text.replace(call, "require('js-yaml')"), loader: 'js' }
    })
  },
}

const result = await build({
  entryPoints: [path.join(root, 'dist/cli/main.js')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // A script compiled from a code cache cannot run import(): esbuild turns each into a require.
  supported: { 'dynamic-import': false },
  // Required from node_modules on first use (verifying a signature, opening a store, a PDF).
  external: ['openpgp', '@electric-sql/pglite', 'pg', 'playwright-core'],
  outfile,
  sourcemap: true,
  write: false,
  logLevel: 'warning',
  define: { 'import.meta.url': '__palisadeModuleUrl' },
  plugins: [bundleJsYamlCommonJs],
  banner: { js: "var __palisadeModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
})

mkdirSync(path.dirname(outfile), { recursive: true })
for (const file of result.outputFiles) {
  const text = file.path.endsWith('.cjs') ? asciiOnly(file.text) : file.text
  writeFileSync(file.path, text)
}
execFileSync(process.execPath, [path.join(root, 'tools/write-code-cache.js')], { stdio: 'inherit' })

/** Each character outside ASCII as `\uXXXX` (UTF-16 code units, as JavaScript source escapes them). */
function asciiOnly(text) {
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
