import {
  formatPointer,
  parsePointer,
  resourceRef,
  type CheckResult,
  type Diagnostic,
  type Finding,
  type ResourceRef,
} from '../core/index.js'
import {
  planFixes,
  proofProblems,
  type FileFix,
  type FixOutcome,
  type FixTarget,
  type Left,
  type RenderedTarget,
} from '../fix/index.js'
import {
  checkResources,
  resourcesOf,
  type CheckOptions,
  type LocatedResource,
  type SourceText,
} from '../pipeline/index.js'

/** What the fix run reads: the scan's input and its result. */
export interface FixInput {
  sources: readonly SourceText[]
  resources: readonly LocatedResource[]
  diagnostics: readonly Diagnostic[]
  /** Successful renders of the scan (re-rendering is not needed: only plain files are edited). */
  renders: number
}

/**
 * Plan the fixes of a scan and prove them: the edited files are parsed again and the whole
 * set of resources is checked again (in memory: plain files feed no render), and a file
 * whose edits leave a fixed finding, bring a new finding or error, or would change again
 * on a second run is rolled back, until what is left is proven. Returns the outcome and the
 * check result of the proven state (exit codes are decided on it). Pure.
 */
export function proveFixes(
  input: FixInput,
  before: CheckResult,
  check: CheckOptions,
  unsafe: boolean,
): { outcome: Omit<FixOutcome, 'dryRun'>; after: CheckResult; rendered: RenderedTarget<Finding>[] } {
  const { targets, rendered, left } = targetsOf(input, before.findings)
  const texts = new Map(input.sources.map((s) => [s.path, s.text]))
  const plan = planFixes(texts, targets, { unsafe })
  left.push(...plan.left)
  let kept = plan.files
  const rolledBack: { file: string; reasons: string[] }[] = []
  const beforeState = { findings: before.findings, diagnostics: before.diagnostics, renders: input.renders }
  for (;;) {
    const again = recheck(input, kept, check)
    const problems = proofProblems(
      beforeState,
      { ...again, diagnostics: again.result.diagnostics, findings: again.result.findings },
      kept.flatMap((f) => f.applied.map((a) => a.finding)),
      new Set(kept.map((f) => f.file)),
    )
    if (problems.size === 0) {
      // A second run must change nothing: plan again on the edited texts.
      const second = planFixes(
        new Map(kept.map((f) => [f.file, f.after])),
        targetsOf(
          { ...input, sources: again.sources, resources: again.resources },
          again.result.findings,
        ).targets.filter((t) => kept.some((f) => f.file === t.file)),
        { unsafe },
      )
      for (const f of second.files)
        problems.set(f.file, [
          `a second run would change it again (${[...new Set(f.applied.map((a) => a.finding.policyId))].join(', ')})`,
        ])
    }
    if (problems.size === 0)
      return {
        outcome: { files: kept, left, rolledBack, findings: before.findings.length },
        after: again.result,
        rendered,
      }
    for (const [file, reasons] of problems) {
      rolledBack.push({ file, reasons })
      const fix = kept.find((f) => f.file === file)
      for (const a of fix?.applied ?? [])
        left.push({ item: a.finding, reason: 'rolled-back', detail: reasons[0] ?? '' })
    }
    kept = kept.filter((f) => !problems.has(f.file))
  }
}

/** Check the scan's resources again with the edited files' texts in place of their old ones. */
function recheck(
  input: FixInput,
  files: readonly FileFix<Finding>[],
  check: CheckOptions,
): { result: CheckResult; sources: SourceText[]; resources: LocatedResource[]; renders: number } {
  const edited = new Map(files.map((f) => [f.file, f.after]))
  const sources = input.sources.map((s) => (edited.has(s.path) ? { ...s, text: edited.get(s.path) as string } : s))
  const diagnostics = input.diagnostics.filter((d) => d.span === undefined || !edited.has(d.span.file))
  const reparsed = new Map<string, LocatedResource[]>()
  for (const s of sources) {
    if (!edited.has(s.path)) continue
    const parsed = resourcesOf(s)
    reparsed.set(s.path, parsed.resources)
    diagnostics.push(...parsed.diagnostics)
  }
  // In the same order as before (an edited file's objects where its first one was): checks over the whole set, like a
  // missing default-deny policy, report on the first workload they meet, and a new order would look like a new finding.
  const resources: LocatedResource[] = []
  for (const r of input.resources) {
    if (r.renderedBy !== undefined || !edited.has(r.file)) resources.push(r)
    else if (reparsed.has(r.file)) {
      resources.push(...(reparsed.get(r.file) ?? []))
      reparsed.delete(r.file)
    }
  }
  for (const rest of reparsed.values()) resources.push(...rest)
  return { result: checkResources(resources, sources, diagnostics, check), sources, resources, renders: input.renders }
}

/**
 * The resources of plain source files with their findings. Findings in rendered objects
 * (Helm, Kustomize) and from stdin are left with the reason; findings with no fix too.
 */
export function targetsOf(
  input: Pick<FixInput, 'sources' | 'resources'>,
  findings: readonly Finding[],
): { targets: FixTarget<Finding>[]; rendered: RenderedTarget<Finding>[]; left: Left<Finding>[] } {
  const editable = new Set(input.sources.filter((s) => s.path !== '-' && s.path !== '<stdin>').map((s) => s.path))
  const byFile = new Map<string, LocatedResource[]>()
  for (const r of input.resources) {
    if (r.renderedBy !== undefined || !editable.has(r.file)) continue
    const list = byFile.get(r.file)
    if (list) list.push(r)
    else byFile.set(r.file, [r])
  }
  const renderedByRef = new Map<string, LocatedResource[]>()
  for (const r of input.resources) {
    if (r.renderedBy === undefined) continue
    const key = refKey(resourceRef(r.object))
    const list = renderedByRef.get(key)
    if (list) list.push(r)
    else renderedByRef.set(key, [r])
  }
  const targets = new Map<LocatedResource, FixTarget<Finding>>()
  const rendered = new Map<LocatedResource, RenderedTarget<Finding>>()
  const left: Left<Finding>[] = []
  for (const f of findings) {
    const resource = f.span ? resourceOf(byFile.get(f.span.file) ?? [], f) : undefined
    if (!resource) {
      const fixable = f.fix !== undefined && f.status === 'fail' && !f.waiver
      const source = fixable && f.span ? resourceOf(renderedByRef.get(refKey(f.resource)) ?? [], f) : undefined
      if (source?.renderedBy !== undefined) {
        const target = rendered.get(source)
        if (target) (target.findings as Finding[]).push(f)
        else
          rendered.set(source, {
            source: { object: source.object, renderedBy: source.renderedBy, file: source.file, locate: source.locate },
            findings: [f],
          })
      } else if (!fixable) left.push({ item: f, reason: f.waiver ? 'waived' : 'no-fix' })
      else
        left.push({
          item: f,
          reason: 'source',
          detail: f.span
            ? `${f.span.file}: the object that holds the field was not found among the scanned ones`
            : 'the object has no source file',
        })
      continue
    }
    const target = targets.get(resource)
    if (target) (target.findings as Finding[]).push(f)
    else
      targets.set(resource, {
        file: resource.file,
        document: resource.document,
        prefix: resource.prefix,
        object: resource.object,
        findings: [f],
      })
  }
  return { targets: [...targets.values()], rendered: [...rendered.values()], left }
}

/** The resource of a file a finding is about: the finding's path located where the finding says (and the same identity, when several are). */
function resourceOf(candidates: readonly LocatedResource[], f: Finding): LocatedResource | undefined {
  const path = formatPointer(parsePointer(f.path))
  const there = candidates.filter((r) => r.locate(path).start.offset === f.span?.start.offset)
  return there.find((r) => sameRef(resourceRef(r.object), f.resource)) ?? (there.length === 1 ? there[0] : undefined)
}

function refKey(r: ResourceRef): string {
  return `${r.apiVersion}\u0000${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}`
}

function sameRef(a: ResourceRef, b: ResourceRef): boolean {
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    (a.namespace ?? '') === (b.namespace ?? '')
  )
}
