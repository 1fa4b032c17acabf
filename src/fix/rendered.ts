import type { PatchOperation } from '../core/index.js'
import { changedRegion, lineChanges } from './hunks.js'
import { planEdits, type EditRequest, type FileFix, type FixPlan } from './plan.js'
import { applyTemplateEdits, type TemplateEdit } from './template-edit.js'
import { RESTRICTED_SET, selectFixes, type FixableFinding, type Left, type SelectOptions } from './select.js'
import { sourceEdit, type RenderedSource } from './source-map.js'

/** A rendered object with its findings. */
export interface RenderedTarget<T> {
  source: RenderedSource
  findings: readonly T[]
}

/**
 * Plan the fixes of rendered objects (Helm, Kustomize) as edits of the repository files
 * that produce the fields (source-map.ts): the same fix model chooses the fixes on the
 * rendered object; each chosen fix goes to its source or is left with the reason, and the
 * restricted set goes as a whole or not at all. The edits are proven by re-rendering,
 * which the caller does. Pure.
 */
export function planRenderedFixes<T extends FixableFinding>(
  texts: ReadonlyMap<string, string>,
  targets: readonly RenderedTarget<T>[],
  options: SelectOptions,
): FixPlan<T> {
  const left: Left<T>[] = []
  const requests: EditRequest<T>[] = []
  const templates: { finding: T; file: string; template: TemplateEdit }[] = []
  for (const target of targets) {
    const selection = selectFixes(target.source.object, target.findings, options)
    left.push(...selection.left)
    const aimed: { finding: T; file: string; document: number; operations: PatchOperation[] }[] = []
    const templated: { finding: T; file: string; template: TemplateEdit }[] = []
    const refused: Left<T>[] = []
    for (const f of selection.applied) {
      const edit = sourceEdit(target.source, f.fix?.patch ?? [], texts)
      if ('reason' in edit) refused.push({ item: f, reason: 'source', detail: edit.reason })
      else if ('template' in edit) templated.push({ finding: f, ...edit })
      else aimed.push({ finding: f, ...edit })
    }
    // The restricted set is per container (pod-level fixes belong to every container).
    const broken = refused.filter((r) => RESTRICTED_SET.has(r.item.policyId))
    for (const t of templated) {
      const brokenHere = RESTRICTED_SET.has(t.finding.policyId)
        ? broken.find((b) => sameContainer(b.item, t.finding))
        : undefined
      if (brokenHere)
        refused.push({
          item: t.finding,
          reason: 'incoherent',
          detail: `${brokenHere.item.policyId}: ${brokenHere.detail ?? ''}`,
        })
      else templates.push(t)
    }
    for (const a of aimed) {
      const brokenHere = RESTRICTED_SET.has(a.finding.policyId)
        ? broken.find((b) => sameContainer(b.item, a.finding))
        : undefined
      if (brokenHere) {
        refused.push({
          item: a.finding,
          reason: 'incoherent',
          detail: `${brokenHere.item.policyId}: ${brokenHere.detail ?? ''}`,
        })
        continue
      }
      const request = requests.find((r) => r.file === a.file && r.document === a.document)
      if (request) request.items.push({ finding: a.finding, operations: a.operations })
      else
        requests.push({ file: a.file, document: a.document, items: [{ finding: a.finding, operations: a.operations }] })
    }
    left.push(...refused)
  }
  const planned = planEdits(texts, requests)
  return { files: [...planned.files, ...templateFiles(texts, templates, left)], left: [...left, ...planned.left] }
}

/** Template text edits, file by file; an edit that overlaps another of the run is left for the next run. */
function templateFiles<T extends FixableFinding>(
  texts: ReadonlyMap<string, string>,
  edits: readonly { finding: T; file: string; template: TemplateEdit }[],
  left: Left<T>[],
): FileFix<T>[] {
  const files: FileFix<T>[] = []
  for (const file of new Set(edits.map((e) => e.file))) {
    const before = texts.get(file) ?? ''
    const mine = edits.filter((e) => e.file === file).map((e) => ({ item: e.finding, edit: e.template }))
    const done = applyTemplateEdits(before, mine)
    for (const f of done.skipped)
      left.push({ item: f, reason: 'source', detail: `another fix edits the same lines of ${file}` })
    if (done.text === before) continue
    const applied = done.applied.map((f) => ({
      finding: f,
      file,
      change: changedRegion(
        before,
        applyTemplateEdits(
          before,
          mine.filter((m) => m.item === f),
        ).text,
      ),
    }))
    files.push({
      file,
      before,
      after: done.text,
      applied,
      changes: lineChanges(before, done.text).map((c) => ({
        ...c,
        findings: applied
          .filter(
            (a) =>
              a.change &&
              a.change.start <= Math.max(c.end, c.start) &&
              c.start <= Math.max(a.change.end, a.change.start),
          )
          .map((a) => a.finding),
      })),
    })
  }
  return files
}

/** The container a fix is about (`.../containers/N`), '' for the pod; pod-level fixes share every container's set. */
function containerOf(f: FixableFinding): string {
  const path = f.fix?.patch[0]?.path ?? f.path
  return /^(.*\/(?:initContainers|containers|ephemeralContainers)\/\d+)(?:\/|$)/.exec(path)?.[1] ?? ''
}

function sameContainer(a: FixableFinding, b: FixableFinding): boolean {
  const x = containerOf(a)
  const y = containerOf(b)
  return x === '' || y === '' || x === y
}
