import { FRAMEWORK_TITLES, type Finding, type PolicyMeta, type Severity } from '../core/index.js'
import { controlTitle } from './controls.js'

/** GitHub's security-severity score per severity (over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, below low). */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
}

const DEFAULT_LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
}

/** `disallow-privileged-containers` → `DisallowPrivilegedContainers`, the rule name SARIF recommends. */
const pascalCase = (id: string): string =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('')

/** GitHub rejects longer descriptions (1024) and names (255); policies from users' files can be long. */
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

/** Metadata for a policy the result does not describe (should not happen): enough for a valid rule. */
function fallbackMeta(finding: Finding): PolicyMeta {
  return {
    id: finding.policyId,
    title: finding.policyId,
    summary: finding.policyId,
    rationale: '',
    severity: finding.severity,
    category: finding.category,
    controls: finding.controls,
  }
}

/** The policies with at least one finding, sorted by id: SARIF's rules, whose index results refer to. */
export function rulePolicies(findings: readonly Finding[], policies: ReadonlyMap<string, PolicyMeta>): PolicyMeta[] {
  const byId = new Map<string, PolicyMeta>()
  for (const f of findings) if (!byId.has(f.policyId)) byId.set(f.policyId, policies.get(f.policyId) ?? fallbackMeta(f))
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** A SARIF reportingDescriptor with everything GitHub code scanning shows or filters on. */
export function sarifRule(meta: PolicyMeta): Record<string, unknown> {
  const summary = meta.summary || meta.title || meta.id
  const controls = meta.controls.map((c) => ({ ...c, title: controlTitle(c) }))
  const tags = ['security', 'kubernetes', meta.category, ...controls.map((c) => `${c.framework}/${c.control}`)]
  const controlText = controls.map(
    (c) => `${FRAMEWORK_TITLES[c.framework]} ${c.control}${c.title ? `: ${c.title}` : ''}`,
  )
  const text = [
    summary,
    meta.rationale && `Why: ${meta.rationale}`,
    meta.remediation && `How to fix: ${meta.remediation}`,
    controlText.length > 0 && `Controls:\n${controlText.map((c) => `- ${c}`).join('\n')}`,
  ]
  const markdown = [
    `**${meta.title || meta.id}**`,
    summary,
    meta.rationale && `### Why\n\n${meta.rationale}`,
    meta.remediation && `### How to fix\n\n${meta.remediation}`,
    controlText.length > 0 && `### Controls\n\n${controlText.map((c) => `- ${c}`).join('\n')}`,
  ]
  return {
    id: meta.id,
    name: clip(pascalCase(meta.id) || meta.id, 255),
    shortDescription: { text: clip(meta.title || meta.id, 1024) },
    fullDescription: { text: clip(summary, 1024) },
    help: { text: text.filter(Boolean).join('\n\n'), markdown: markdown.filter(Boolean).join('\n\n') },
    defaultConfiguration: { level: DEFAULT_LEVEL[meta.severity] },
    properties: {
      tags: [...new Set(tags.filter((t) => t !== ''))],
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[meta.severity],
      severity: meta.severity,
      category: meta.category,
    },
  }
}
