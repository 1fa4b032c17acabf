import { ToolError, type KubeObject, type PatchOperation } from '../core/index.js'
import { applyPatch } from '../yaml/index.js'
import { changedRegion, lineChanges, type LineChange } from './hunks.js'
import { RESTRICTED_SET, selectFixes, type FixableFinding, type Left, type SelectOptions } from './select.js'

/** One resource written in a source file, with its findings. */
export interface FixTarget<T> {
  file: string
  /** Index of the YAML document in the file, and the pointer of the object inside it ('' or '/items/N'). */
  document: number
  prefix: string
  object: KubeObject
  findings: readonly T[]
}

/** A finding whose fix was applied, with the change its fix alone makes to the original text (for SARIF and review comments). */
export interface AppliedFix<T> {
  finding: T
  file: string
  /** Undefined when the fix only applies on top of another one of the same run. */
  change: LineChange | undefined
}

/** A line hunk of a file's edit and the findings whose fixes it holds. */
export interface FileChange<T> extends LineChange {
  findings: T[]
}

/** What fixing one file comes to: its text before and after, the fixes in it, its line hunks. */
export interface FileFix<T> {
  file: string
  before: string
  after: string
  applied: AppliedFix<T>[]
  changes: FileChange<T>[]
}

/** The edits planned for a set of source files, and every finding left as it is, with why. */
export interface FixPlan<T> {
  files: FileFix<T>[]
  left: Left<T>[]
}

/** Operations for one document of a source file, each finding with its own (already aimed at the document). */
export interface EditRequest<T> {
  file: string
  document: number
  items: { finding: T; operations: PatchOperation[] }[]
}

/**
 * Plan the fixes of findings in source files: per resource, the fix model picks and
 * combines fixes (select.ts); the operations are applied to the file's text through the
 * YAML layer's comment-preserving patcher, so only the touched lines change. A resource
 * whose edit the patcher refuses (a field behind an alias or merge key, a document that
 * no longer parses) keeps its text and its findings are left with the reason. Pure.
 */
export function planFixes<T extends FixableFinding>(
  texts: ReadonlyMap<string, string>,
  targets: readonly FixTarget<T>[],
  options: SelectOptions,
): FixPlan<T> {
  const left: Left<T>[] = []
  const requests: EditRequest<T>[] = []
  for (const target of targets) {
    const selection = selectFixes(target.object, target.findings, options)
    left.push(...selection.left)
    if (selection.applied.length === 0) continue
    requests.push({
      file: target.file,
      document: target.document,
      items: selection.applied.map((f) => ({ finding: f, operations: prefixed(target.prefix, f.fix?.patch ?? []) })),
    })
  }
  const planned = planEdits(texts, requests)
  return { files: planned.files, left: [...left, ...planned.left] }
}

/**
 * Apply edit requests to the texts of their files, in order: each request's operations in
 * one go, or when the patcher refuses that, unit by unit (the restricted set as one unit),
 * leaving the refused findings with the patcher's reason. Pure.
 */
export function planEdits<T extends FixableFinding>(
  texts: ReadonlyMap<string, string>,
  requests: readonly EditRequest<T>[],
): FixPlan<T> {
  const left: Left<T>[] = []
  const byFile = new Map<string, EditRequest<T>[]>()
  for (const r of requests) {
    const list = byFile.get(r.file)
    if (list) list.push(r)
    else byFile.set(r.file, [r])
  }
  const files: FileFix<T>[] = []
  for (const [file, list] of byFile) {
    const before = texts.get(file)
    if (before === undefined) throw new ToolError('INTERNAL', `no text for ${file}`)
    let current = before
    const applied: AppliedFix<T>[] = []
    for (const request of list) {
      const own = new Map(request.items.map((i) => [i.finding, i.operations]))
      const attempt = tryPatch(
        current,
        request.document,
        request.items.flatMap((i) => i.operations),
      )
      let done = request.items.map((i) => i.finding)
      if (typeof attempt === 'string') current = attempt
      else {
        // One refused field (behind an anchor, say) must not stop the others: apply unit by unit, the restricted set as one unit.
        done = []
        for (const unit of units(request.items.map((i) => i.finding))) {
          const one = tryPatch(
            current,
            request.document,
            unit.flatMap((f) => own.get(f) ?? []),
          )
          if (typeof one === 'string') {
            current = one
            done.push(...unit)
          } else for (const f of unit) left.push({ item: f, reason: 'source', detail: one.message })
        }
      }
      for (const f of done) {
        const alone = tryPatch(before, request.document, own.get(f) ?? [])
        applied.push({ finding: f, file, change: typeof alone === 'string' ? changedRegion(before, alone) : undefined })
      }
    }
    if (current === before) continue
    files.push({ file, before, after: current, applied, changes: attribute(lineChanges(before, current), applied) })
  }
  return { files, left }
}

/** The restricted set as one unit, every other fix alone. */
function units<T extends FixableFinding>(applied: readonly T[]): T[][] {
  const group = applied.filter((f) => RESTRICTED_SET.has(f.policyId))
  return [
    ...(group.length > 0 ? [group] : []),
    ...applied.filter((f) => !RESTRICTED_SET.has(f.policyId)).map((f) => [f]),
  ]
}

function prefixed(prefix: string, operations: readonly PatchOperation[]): PatchOperation[] {
  return prefix === '' ? [...operations] : operations.map((op) => ({ ...op, path: prefix + op.path }))
}

/** The patched text, or the patcher's refusal (its message says what and where). */
function tryPatch(text: string, document: number, operations: readonly PatchOperation[]): string | ToolError {
  try {
    return applyPatch(text, document, operations)
  } catch (error) {
    // INTERNAL too (the read-back did not match): that resource is left with the reason, the run goes on.
    if (error instanceof ToolError) return error
    throw error
  }
}

/** Each hunk with the findings whose own change touches it (or, when none does, every fix of the file: the hunk is theirs together). */
function attribute<T>(changes: readonly LineChange[], applied: readonly AppliedFix<T>[]): FileChange<T>[] {
  return changes.map((c) => {
    const touching = applied.filter(
      (a) =>
        a.change !== undefined &&
        a.change.start <= Math.max(c.end, c.start) &&
        c.start <= Math.max(a.change.end, a.change.start),
    )
    return { ...c, findings: (touching.length > 0 ? touching : applied).map((a) => a.finding) }
  })
}
