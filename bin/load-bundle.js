// Loads the bundled CLI (dist/bundle/palisade.cjs, built by `npm run build`) through V8's
// code cache: compiling the 3 MB bundle and the functions a scan calls cost ~80 ms of
// every run, a third of a small scan. Node 20 has no compile cache of its own (Node 22's
// module.enableCompileCache), so the build writes one (tools/write-code-cache.js) and V8
// checks it against the source and its own version and flags: a cache it rejects is
// ignored and the bundle is compiled as usual.
'use strict'
const { isAscii } = require('node:buffer')
const { readFileSync } = require('node:fs')
const { createRequire } = require('node:module')
const path = require('node:path')
const vm = require('node:vm')

const BUNDLE = path.join(__dirname, '../dist/bundle/palisade.cjs')
const CODE_CACHE = `${BUNDLE}.cache`

/** The bundle's exports, and its script (to write a code cache from). */
function loadBundle({ useCache = true, cacheFile = CODE_CACHE } = {}) {
  // The build writes the bundle in ASCII (tools/bundle.js): read as Latin-1, a copy of the bytes, it is
  // the same text as read as UTF-8, a decoding that cost 20-40 ms. A bundle built otherwise is decoded.
  const bytes = readFileSync(BUNDLE)
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
  let cachedData
  if (useCache) {
    try {
      cachedData = readFileSync(cacheFile)
    } catch (error) {
      if (error.code !== 'ENOENT') throw error
    }
  }
  // One line of wrapper before the source, as Node wraps a CommonJS module: stack traces keep their line numbers.
  // The bundle has no import(): esbuild turns each into a require (--supported:dynamic-import=false),
  // since a script compiled from a code cache loses the callback import() needs.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    cachedData,
  })
  const module = { exports: {} }
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE))
  return {
    exports: module.exports,
    script,
    cacheRejected: cachedData !== undefined && script.cachedDataRejected === true,
  }
}

module.exports = { BUNDLE, CODE_CACHE, loadBundle }
