import path from 'node:path'
import type { GitOpsScan, ReadFile } from '../gitops/index.js'
import { FileReads } from '../sources/index.js'
import type { AppIo } from './io.js'
import { renderGitOps } from './render-gitops.js'
import type { PreparedScan, ScanOptions } from './scan.js'
import type { FirstPass } from './stream-passes.js'

/**
 * The GitOps inventory of a streaming scan (unless --no-render): it looks for charts,
 * overlays, and YAML files that name an Argo CD or Flux group; nothing is kept for later.
 * `reads`: how it reads YAML files (by default each is read again).
 */
export async function streamInventory(
  options: ScanOptions,
  io: AppIo,
  prepared: PreparedScan,
  reads: { read: ReadFile } = new FileReads(options.maxFileSize, false),
): Promise<GitOpsScan | undefined> {
  if (!options.render) return undefined
  const progress = options.onProgress ?? (() => {})
  return renderGitOps(
    options.paths,
    options,
    prepared.policySet.config,
    prepared.resolver,
    io,
    undefined,
    reads,
    (d, t) => progress('Rendering', d, t),
  )
}

/**
 * How the inventory reads YAML files after a first pass over them: a file that pass read
 * whose bytes name no Argo CD or Flux group (`FirstPass.plain`) is not read again; any
 * other (one the pass could not read, or does not list) is read as before, so the
 * inventory finds what it would have found reading every file itself.
 */
export function afterFirstPass(first: FirstPass, maxFileSize: number): { read: ReadFile } {
  const index = new Map<string, number>()
  first.files.forEach((f, i) => index.set(path.resolve(f.absolutePath), i))
  const reads = new FileReads(maxFileSize, false)
  return {
    read(absolutePath) {
      const i = index.get(path.resolve(absolutePath))
      if (i !== undefined && Atomics.load(first.plain, i) === 1) return { namesNoGitOps: true }
      return reads.read(absolutePath)
    },
  }
}
