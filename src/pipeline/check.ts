import {
  fingerprintPrefix,
  fingerprintWithin,
  isRecord,
  namespacesByName,
  resourceRef,
  summarize,
  type CheckRecord,
  type CheckResult,
  type Diagnostic,
  type Finding,
  type KubeObject,
  type LocatedResource,
  type PolicyMeta,
  type SourceSpan,
  type Violation,
} from '../core/index.js'
import type { ConfigResolver } from '../config/index.js'
import { evaluate, type CompiledPolicy, type CompiledPolicySet, type PolicyOutcome } from '../engine/index.js'
import { groupByLocation } from './group-renders.js'
import { placeViolation } from './place.js'
import { resourcesOf, type SourceText } from './resources.js'
import { inlineWaivers } from './waivers.js'

/** What a check needs besides the sources. */
export interface CheckOptions {
  policies: CompiledPolicySet
  resolver: ConfigResolver
  /** `--env`: every resource is in this environment. */
  environment?: string
  /** Keep a record of every policy × resource evaluation, passes included (for JUnit). */
  collectChecks?: boolean
  /** Called after each source, for progress display. */
  onProgress?: (done: number, total: number) => void
  /** Resources produced elsewhere (rendered charts, overlays, Argo CD/Flux applications), checked with the sources' own. */
  rendered?: readonly LocatedResource[]
  /** Text of each file that rendered resources point into, for code frames and the file count. */
  renderedTexts?: ReadonlyMap<string, string>
  /** Files that could not be read (each has an error diagnostic): they count as files. */
  unreadFiles?: number
  /** Problems found before the check (reading the sources): listed first in the result. */
  diagnostics?: readonly Diagnostic[]
  /** The run's Namespaces by name, when the resources are a part of the run (a streaming scan's file). */
  namespaces?: ReadonlyMap<string, KubeObject>
  /**
   * The cross-resource outcomes of each resource, already evaluated over the whole run (a
   * streaming scan's file): used instead of running the cross-resource policies over `resources`.
   */
  crossOutcomes?: (index: number) => readonly { policy: CompiledPolicy; outcome: PolicyOutcome }[]
  /** Expired waivers already reported in this run (each is reported once per run). */
  expiredWaivers?: Set<object>
}

/**
 * The whole pure pipeline: sources → resources → engine → findings with file, line,
 * column, environment, action and waiver. Never throws on bad input: problems are
 * diagnostics and every other resource is still checked.
 */
export function checkSources(sources: readonly SourceText[], options: CheckOptions): CheckResult {
  const diagnostics: Diagnostic[] = [...(options.diagnostics ?? [])]
  const resources: LocatedResource[] = []
  sources.forEach((source, i) => {
    const parsed = resourcesOf(source)
    diagnostics.push(...parsed.diagnostics)
    for (const r of parsed.resources) resources.push(r)
    options.onProgress?.(i + 1, sources.length)
  })
  for (const r of options.rendered ?? []) resources.push(r)
  return checkResources(resources, sources, diagnostics, options)
}

/** Check already parsed resources (used by checkSources and by rendered sources). */
export function checkResources(
  resources: readonly LocatedResource[],
  sources: readonly SourceText[],
  diagnostics: Diagnostic[],
  options: CheckOptions,
): CheckResult {
  const { policies, resolver } = options
  const namespaces = options.namespaces ?? namespacesByName(resources.map((r) => r.object))

  const findings: Finding[] = []
  const applications = new Map<Finding, string>()
  const checks: CheckRecord[] | undefined = options.collectChecks ? [] : undefined
  const counts = {
    files: sources.length + (options.renderedTexts?.size ?? 0) + (options.unreadFiles ?? 0),
    resources: resources.length,
    policies: policies.policies.length,
    checks: { pass: 0, fail: 0, error: 0, skip: 0 },
  }
  const expired = options.expiredWaivers ?? new Set<object>()

  const environments = resources.map((r) => options.environment ?? r.environment ?? resolver.environmentForFile(r.file))
  const refs = resources.map((r) => resourceRef(r.object))
  // The resource's part of its findings' fingerprints, built on its first finding.
  const prefixes: (string | undefined)[] = []
  const inlineCache = new Map<number, ReturnType<typeof inlineWaivers> | undefined>()
  const inlineOf = (i: number): ReturnType<typeof inlineWaivers> | undefined => {
    if (!inlineCache.has(i)) {
      const r = resources[i] as LocatedResource
      const inline = hasWaiverAnnotations(r.object) ? inlineWaivers(r.object, r.locate) : undefined
      if (inline) diagnostics.push(...inline.diagnostics)
      inlineCache.set(i, inline)
    }
    return inlineCache.get(i)
  }

  // Several policies often report the same field of a resource (a container's securityContext):
  // each distinct path of a resource is located once, and its findings share the span.
  let spansOf = -1
  const spans = new Map<string, SourceSpan>()
  const spanOf = (i: number, path: string): SourceSpan => {
    if (spansOf !== i) {
      spans.clear()
      spansOf = i
    }
    let span = spans.get(path)
    if (span === undefined) spans.set(path, (span = (resources[i] as LocatedResource).locate(path)))
    return span
  }

  const record = (i: number, policy: CompiledPolicy, outcome: PolicyOutcome | typeof UNKNOWN_NAMESPACE_SKIP): void => {
    const resource = resources[i] as LocatedResource
    const ref = refs[i] as Finding['resource']
    const environment = environments[i]
    let status: CheckRecord['status'] = outcome.status
    if (outcome.violations.length > 0) {
      const inline = inlineOf(i)
      let allWaived = true
      for (const violation of outcome.violations) {
        const placed = placeViolation(violation, policy.meta, {
          resource: ref,
          environment,
          resolver,
          inlineWaiver: inline?.waivers.get(policy.meta.id),
        })
        const finding = placed.finding as Finding
        finding.span = spanOf(i, violation.path)
        finding.fingerprint = fingerprintWithin((prefixes[i] ??= fingerprintPrefix(ref, resource.identity)), violation)
        if (resource.application !== undefined) applications.set(finding, resource.application)
        if (placed.expired && !expired.has(placed.expired)) {
          const waiver = placed.expired
          expired.add(waiver)
          diagnostics.push({
            code: 'WAIVER_EXPIRED',
            severity: 'warning',
            message: `waiver for ${waiver.policy} (owner ${waiver.owner}) expired on ${waiver.expires}; its findings count again`,
            hint: 'fix the findings, or renew the waiver with a new expiry date and a reason',
            ...(waiver.span ? { span: waiver.span } : {}),
          })
        }
        if (!finding.waiver) allWaived = false
        findings.push(finding)
      }
      if (allWaived) status = 'skip'
    }
    counts.checks[status]++
    checks?.push({ policyId: policy.meta.id, resource: ref, file: resource.file, status })
  }

  resources.forEach((resource, i) => {
    const ref = refs[i] as Finding['resource']
    const environment = environments[i]
    const namespaceObject = ref.namespace === undefined ? null : (namespaces.get(ref.namespace) ?? null)
    for (const { policy, outcome } of evaluate(policies, resource.object, {
      ...(environment === undefined ? {} : { environment }),
      namespaceObject,
    })) {
      record(
        i,
        policy,
        resource.namespaceUnknown === true && policy.meta.namespaceDependent === true
          ? UNKNOWN_NAMESPACE_SKIP
          : outcome,
      )
    }
  })
  if (options.crossOutcomes) {
    for (let i = 0; i < resources.length; i++)
      for (const { policy, outcome } of options.crossOutcomes(i)) record(i, policy, outcome)
  } else if (policies.crossResource.length > 0) {
    const objects = resources.map((r) => r.object)
    // Objects whose namespace is unknown are left out of checks that group by namespace.
    const known = resources.flatMap((r, i) => (r.namespaceUnknown === true ? [] : [i]))
    const knownObjects = known.length === resources.length ? objects : known.map((i) => objects[i] as KubeObject)
    const knownEnvironments = known.length === resources.length ? environments : known.map((i) => environments[i])
    for (const policy of policies.crossResource) {
      if (policy.meta.namespaceDependent === true && known.length < resources.length) {
        for (const [k, outcome] of policy.evaluateAll?.(knownObjects, knownEnvironments) ?? [])
          record(known[k] as number, policy, outcome)
        // Each one alone: the check reports what it would have said about it, and that is a skip.
        resources.forEach((r, i) => {
          if (r.namespaceUnknown === true && (policy.evaluateAll?.([r.object], [environments[i]]).size ?? 0) > 0)
            record(i, policy, UNKNOWN_NAMESPACE_SKIP)
        })
        continue
      }
      for (const [i, outcome] of policy.evaluateAll?.(objects, environments) ?? []) record(i, policy, outcome)
    }
  }

  const sorted = groupByLocation(findings.sort(compareFindings), (f) => applications.get(f))
  const summary = summarize(counts, sorted, diagnostics)
  const withText = new Set<string>(
    [...sorted.map((f) => f.span?.file), ...diagnostics.map((d) => d.span?.file)].filter(
      (f): f is string => f !== undefined,
    ),
  )
  const texts = new Map<string, string>()
  for (const s of sources) if (withText.has(s.path)) texts.set(s.path, s.text)
  for (const [file, text] of options.renderedTexts ?? [])
    if (withText.has(file) && !texts.has(file)) texts.set(file, text)
  const metas = new Map<string, PolicyMeta>(policies.policies.map((p) => [p.meta.id, p.meta]))
  return { findings: sorted, diagnostics, summary, policies: metas, sources: texts, ...(checks ? { checks } : {}) }
}

/** The outcome of a namespace-dependent policy on a resource whose namespace is unknown. */
const UNKNOWN_NAMESPACE_SKIP = { status: 'skip', violations: [] } as const satisfies {
  status: CheckRecord['status']
  violations: readonly Violation[]
}

function hasWaiverAnnotations(object: KubeObject): boolean {
  const meta = object.metadata
  return (
    isRecord(meta) &&
    isRecord(meta.annotations) &&
    Object.keys(meta.annotations).some((k) => k.startsWith('waive.palisade.dev/'))
  )
}

function compareFindings(a: Finding, b: Finding): number {
  const fa = a.span?.file ?? ''
  const fb = b.span?.file ?? ''
  if (fa !== fb) return fa < fb ? -1 : 1
  const la = a.span?.start.line ?? 0
  const lb = b.span?.start.line ?? 0
  if (la !== lb) return la - lb
  const ca = a.span?.start.column ?? 0
  const cb = b.span?.start.column ?? 0
  if (ca !== cb) return ca - cb
  return a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0
}
