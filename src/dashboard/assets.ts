import { readFile } from 'node:fs/promises'
import { fileURLToPath, URL } from 'node:url'
import { ToolError } from '../core/index.js'
import { CLIENT_JS, CSS } from './html.js'

/** A file the dashboard serves under /assets/. */
export interface Asset {
  type: string
  body: string | Buffer
}

// The chart library is copied from node_modules into dist/dashboard/assets by the build
// (tools/copy-dashboard-assets.js): the installed package serves it itself, no CDN.
// Two folders up from dist/dashboard/ and from dist/bundle/ alike is the package root.
const BUILT = new URL('../../dist/dashboard/assets/', import.meta.url)
// Running from source (tests without a build): straight from node_modules.
const SOURCE = new URL('../../node_modules/uplot/dist/', import.meta.url)
const VENDORED: Record<string, string> = {
  'uPlot.iife.min.js': 'text/javascript; charset=utf-8',
  'uPlot.min.css': 'text/css; charset=utf-8',
}

/** Load every asset once, at start: a missing chart library is a start-up error, not a broken page later. */
export async function loadAssets(): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>([
    ['dashboard.css', { type: 'text/css; charset=utf-8', body: CSS }],
    ['dashboard.js', { type: 'text/javascript; charset=utf-8', body: CLIENT_JS }],
  ])
  for (const [name, type] of Object.entries(VENDORED)) assets.set(name, { type, body: await readVendored(name) })
  return assets
}

async function readVendored(name: string): Promise<Buffer> {
  try {
    return await readFile(fileURLToPath(new URL(name, BUILT)))
  } catch (built) {
    if ((built as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new ToolError('FILE_UNREADABLE', `cannot read the dashboard asset ${name}`, { cause: built })
    try {
      return await readFile(fileURLToPath(new URL(name, SOURCE)))
    } catch (error) {
      throw new ToolError('FILE_UNREADABLE', `the dashboard's chart library ${name} is missing`, {
        cause: error,
        hint: 'run npm run build (it copies uplot into dist/dashboard/assets)',
      })
    }
  }
}
