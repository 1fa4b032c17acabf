// `npm run build`: vendor the dashboard's chart library (uPlot) from node_modules into
// dist/dashboard/assets, so the installed package serves it itself (no CDN, works offline).
import { copyFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath, URL } from 'node:url'

const from = new URL('../node_modules/uplot/dist/', import.meta.url)
const to = new URL('../dist/dashboard/assets/', import.meta.url)
mkdirSync(fileURLToPath(to), { recursive: true })
for (const name of ['uPlot.iife.min.js', 'uPlot.min.css'])
  copyFileSync(fileURLToPath(new URL(name, from)), fileURLToPath(new URL(name, to)))
