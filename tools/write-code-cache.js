// `npm run build`, last step: write the V8 code cache of the bundled CLI (bin/load-bundle.js).
// The cache holds what was compiled when it is written, so a scan of the bundled example
// runs first: its parsing, policy and report code is then in the cache too.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, URL } from 'node:url'
import { CODE_CACHE, loadBundle } from '../bin/load-bundle.js'

const { exports, script } = loadBundle({ useCache: false })
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-code-cache-'))
try {
  const root = path.resolve(path.dirname(fileURLToPath(new URL(import.meta.url))), '..')
  for (const format of ['json', 'text']) {
    const code = await exports.main([
      'scan',
      path.join(root, 'examples/gitops'),
      '--no-render',
      '--format',
      format,
      '--output',
      path.join(scratch, `report.${format}`),
    ])
    if (code !== 0 && code !== 1) throw new Error(`the warm-up scan of examples/gitops exited ${code}`)
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
writeFileSync(CODE_CACHE, script.createCachedData())
