import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

/**
 * A worker thread running `runStreamWorker` (stream-worker.ts) of the code that runs now: in
 * the bundle (dist/bundle/palisade.cjs) the worker loads the bundle as bin/palisade.js does,
 * from its V8 code cache, and calls the bundle's `runStreamWorker` export; from compiled
 * modules (dist/) it imports stream-worker.js; from the TypeScript sources (tests) it imports
 * stream-worker.ts through tsx, a development dependency.
 */
const WORKER_YOUNG_MB = 16

export function startStreamWorker(workerData: unknown): Worker {
  const here = import.meta.url
  let source: string
  if (here.endsWith('.cjs')) {
    const loader = path.join(path.dirname(fileURLToPath(here)), '../../bin/load-bundle.js')
    source = `require(${JSON.stringify(loader)}).loadBundle().exports.runStreamWorker()`
  } else if (here.endsWith('.ts')) {
    // tsx's ES module API (its CommonJS one fails to load its own parts from a worker): the same file as .mjs.
    const tsx = pathToFileURL(
      createRequire(here)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href
    const entry = new URL('./stream-worker.ts', here).href
    source = `import(${JSON.stringify(tsx)}).then((t) => t.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(here)})).then((m) => m.runStreamWorker())`
  } else {
    const entry = new URL('./stream-worker.js', here).href
    source = `import(${JSON.stringify(entry)}).then((m) => m.runStreamWorker())`
  }
  // A rejected promise of the entry is an uncaught error in the worker: its 'error' event.
  // A smaller young generation than the main thread's (48 MB): each thread's heap adds to the
  // run's peak, and a worker's survivors are few (the dense corpus: 290 MB peak against 348
  // with the default, the same CPU; docs/performance.md).
  return new Worker(source, { eval: true, workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } })
}
