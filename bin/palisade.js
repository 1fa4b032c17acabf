#!/usr/bin/env node
// The CLI runs from one bundled file (npm run build): loading ~500 separate modules cost
// ~250 ms of start-up on every run, which a pre-commit hook or a CI step pays each time.
// This folder is CommonJS (bin/package.json): an ES module entry made Node build ES module
// views of the builtins it imported, which loaded fs streams and more (~5-10 ms) for nothing.
'use strict'
const { loadBundle } = require('./load-bundle.js')

loadBundle()
  .exports.main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code
  })
