import path from 'node:path'
import { isInside, ToolError, type CheckResult, type Finding } from '../core/index.js'
import { planRenderedFixes, proofProblems, type FileFix, type Left, type RenderedTarget } from '../fix/index.js'
import { openForFix } from './fix-write.js'

/** A scan of the files as they are on disk now. */
export interface Rescan {
  result: CheckResult
  renders: number
  rendered: RenderedTarget<Finding>[]
  texts: ReadonlyMap<string, string>
}

/** What proving rendered edits needs: where files are, which may be edited, how to scan again. */
export interface RenderedProof {
  cwd: string
  /** Scanned folders and files (absolute): only files inside them are edited. */
  roots: readonly string[]
  before: CheckResult
  renders: number
  /** Plain-file edits already proven in memory: written first, so the re-scans see them. */
  plain: readonly FileFix<Finding>[]
  unsafe: boolean
  rescan(): Promise<Rescan>
}

/**
 * Edit the values files, kustomize bases and patches that produce fixable fields of
 * rendered objects, then prove it on disk: render and scan again; a file whose edits leave
 * a fixed finding, bring a new finding or error, lose a render, or would change again on a
 * second run gets its old bytes back, until the rest is proven. The caller restores every
 * file after a dry run (`restore`).
 */
export async function proveRendered(
  targets: readonly RenderedTarget<Finding>[],
  texts: ReadonlyMap<string, string>,
  proof: RenderedProof,
): Promise<{
  files: FileFix<Finding>[]
  left: Left<Finding>[]
  rolledBack: { file: string; reasons: string[] }[]
  after?: CheckResult
  restore(): Promise<void>
}> {
  const inside = new Map(
    [...texts].filter(([file]) => proof.roots.some((root) => isInside(root, path.resolve(proof.cwd, file)))),
  )
  const plan = planRenderedFixes(inside, targets, { unsafe: proof.unsafe })
  const left = [...plan.left]
  const rolledBack: { file: string; reasons: string[] }[] = []
  const originals = new Map<string, Buffer>()
  // Through a handle that does not follow a link swapped in since the scan, inside the roots only.
  const write = async (file: string, text: string | Buffer): Promise<void> => {
    const handle = await openForFix(path.resolve(proof.cwd, file), proof.roots)
    if (typeof handle === 'string') throw new ToolError('INTERNAL', `palisade fix did not write ${file}: ${handle}`)
    try {
      if (!originals.has(file)) originals.set(file, await handle.readFile())
      const bytes = Buffer.from(text)
      await handle.truncate(0)
      await handle.write(bytes, 0, bytes.length, 0)
    } finally {
      await handle.close()
    }
  }
  const restoreFile = async (file: string): Promise<void> => {
    const bytes = originals.get(file)
    if (bytes) await write(file, bytes)
  }
  const restore = async (): Promise<void> => {
    for (const file of originals.keys()) await restoreFile(file)
  }
  let kept = plan.files.filter((f) => !proof.plain.some((p) => p.file === f.file))
  if (kept.length === 0) return { files: [], left, rolledBack, restore }
  for (const f of proof.plain) await write(f.file, f.after)
  for (;;) {
    for (const f of kept) await write(f.file, f.after)
    const again = await proof.rescan()
    const fixed = [...proof.plain, ...kept].flatMap((f) => f.applied.map((a) => a.finding))
    const edited = new Set(kept.map((f) => f.file))
    const problems = proofProblems(
      { findings: proof.before.findings, diagnostics: proof.before.diagnostics, renders: proof.renders },
      { findings: again.result.findings, diagnostics: again.result.diagnostics, renders: again.renders },
      fixed,
      edited,
    )
    if (problems.size === 0) {
      const second = planRenderedFixes(again.texts, again.rendered, { unsafe: proof.unsafe })
      for (const f of second.files)
        if (edited.has(f.file))
          problems.set(f.file, [
            `a second run would change it again (${[...new Set(f.applied.map((a) => a.finding.policyId))].join(', ')})`,
          ])
    }
    if (problems.size === 0 || kept.length === 0) return { files: kept, left, rolledBack, after: again.result, restore }
    for (const [file, reasons] of problems) {
      if (!edited.has(file)) continue
      rolledBack.push({ file, reasons })
      await restoreFile(file)
      for (const a of kept.find((f) => f.file === file)?.applied ?? [])
        left.push({ item: a.finding, reason: 'rolled-back', detail: reasons[0] ?? '' })
    }
    kept = kept.filter((f) => !problems.has(f.file))
  }
}
