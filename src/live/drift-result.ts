import {
  findingFingerprint,
  noCounts,
  summarize,
  type CheckResult,
  type Diagnostic,
  type Finding,
  type PolicyMeta,
  type SourceSpan,
} from '../core/index.js'
import type { Drift } from './drift.js'

/** The three kinds of drift as report rules, so every scan format can show them. */
export const DRIFT_RULES: ReadonlyMap<string, PolicyMeta> = new Map(
  (
    [
      [
        'drift-changed',
        'A live object differs from Git',
        'Fields of a live object differ from what Git says it should be.',
        'A change made outside Git is lost at the next sync, and a weakened security field runs unreviewed until then.',
      ],
      [
        'drift-unmanaged',
        'A live object is not in Git',
        'An object runs in the cluster that no Git source declares.',
        'A disaster recovery from Git would lose it, and nobody reviewed it.',
      ],
      [
        'drift-missing',
        'A Git object is not live',
        'Git declares an object that the cluster does not have.',
        'What Git says runs does not: a removed NetworkPolicy leaves pods open.',
      ],
    ] as const
  ).map(([id, title, summary, rationale]) => [
    id,
    {
      id,
      title,
      summary,
      rationale,
      severity: 'high',
      category: 'drift',
      controls: [],
      remediation: 'Sync the cluster from Git, or commit the change to Git.',
    },
  ]),
)

/**
 * Drift as a check result: one finding per drifted field (at its line in Git), per object
 * live but not in Git, per object in Git but not live, and per policy the live object fails
 * while Git passes. Security-relevant ones have action deny and severity high (they block);
 * the rest warn, at severity low. Values of Secret fields, ConfigMap data and env values are never shown.
 */
export function driftResult(
  drifts: readonly Drift[],
  diagnostics: Diagnostic[],
  liveSpan: (drift: Drift) => SourceSpan,
  counts: { files: number; resources: number },
): CheckResult {
  const findings: Finding[] = []
  const add = (
    drift: Drift,
    policyId: string,
    messageId: string,
    message: string,
    path: string,
    span: SourceSpan | undefined,
    security: boolean,
  ): void => {
    const meta = DRIFT_RULES.get(policyId) as PolicyMeta
    const violation = {
      policyId,
      messageId,
      message,
      status: 'fail' as const,
      severity: security ? ('high' as const) : ('low' as const),
      path,
      stablePath: path,
    }
    findings.push({
      ...violation,
      resource: drift.resource,
      ...(span ? { span } : {}),
      controls: meta.controls,
      category: meta.category,
      action: security ? 'deny' : 'warn',
      ...(drift.environment ? { environment: drift.environment } : {}),
      fingerprint: findingFingerprint({ policyId, messageId, resource: drift.resource, stablePath: path }),
    })
  }
  for (const drift of drifts) {
    const what = `${drift.resource.kind} ${drift.resource.namespace ? `${drift.resource.namespace}/` : ''}${drift.resource.name}`
    if (drift.type === 'unmanaged') {
      add(
        drift,
        'drift-unmanaged',
        'unmanaged',
        `${what} runs in the cluster but is in no Git source${because(drift.reasons)}.`,
        '',
        liveSpan(drift),
        drift.reasons.length > 0,
      )
      continue
    }
    if (drift.type === 'missing') {
      add(
        drift,
        'drift-missing',
        'missing',
        `${what} is in Git but not in the cluster${because(drift.reasons)}.`,
        '',
        drift.git?.span,
        drift.reasons.length > 0,
      )
      continue
    }
    for (const field of drift.fields) {
      const values = hidesValues(drift.resource.kind, field.path)
        ? ''
        : field.change === 'changed'
          ? `: Git ${show(field.git)}, live ${show(field.live)}`
          : field.change === 'added'
            ? `: live ${show(field.live)}`
            : `: Git ${show(field.git)}`
      const verb = field.change === 'changed' ? 'changed' : field.change === 'added' ? 'added live' : 'removed live'
      add(
        drift,
        'drift-changed',
        field.change,
        `${what}: ${field.path} ${verb}${values}${field.security ? ` (security: ${field.security})` : ''}.`,
        field.path,
        field.span,
        field.security !== undefined,
      )
    }
    for (const reason of drift.reasons.filter((r) => r.startsWith('live fails '))) {
      add(drift, 'drift-changed', 'failsPolicy', `${what}: ${reason}.`, '', drift.git?.span, true)
    }
  }
  const summary = summarize(
    {
      ...noCounts(),
      files: counts.files,
      resources: counts.resources,
      policies: DRIFT_RULES.size,
      checks: { pass: 0, fail: findings.length, error: 0, skip: 0 },
    },
    findings,
    diagnostics,
  )
  return { findings, diagnostics, summary, policies: DRIFT_RULES, sources: new Map() }
}

function because(reasons: readonly string[]): string {
  return reasons.length === 0 ? '' : ` (security: ${reasons.join('; ')})`
}

/**
 * Fields whose values drift never prints, whatever they hold: a Secret's, a ConfigMap's data
 * (where credentials end up when they should not), and container env values (the variable's
 * name is on another line of the object, so the report's masking cannot see that
 * AWS_SECRET_ACCESS_KEY's value is a credential).
 */
function hidesValues(kind: string, path: string): boolean {
  if (kind === 'Secret') return true
  if (kind === 'ConfigMap' && /^\/(data|binaryData)(\/|$)/.test(path)) return true
  return /\/env\/\d+\/value(\/|$)/.test(path)
}

function show(value: unknown): string {
  let text: string
  try {
    text = JSON.stringify(value) ?? 'null'
  } catch {
    // A live value nested past what JSON.stringify's recursion can take (the API server allows 10000 levels).
    return '(too deeply nested to show)'
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}
