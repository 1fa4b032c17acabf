#!/usr/bin/env node
// The CLI runs from one bundled file (npm run build): loading ~500 separate modules cost
// ~250 ms of start-up on every run, which a pre-commit hook or a CI step pays each time.
import { loadBundle } from './load-bundle.js'

process.exitCode = await loadBundle().exports.main(process.argv.slice(2))
