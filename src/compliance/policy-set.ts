import { createHash } from 'node:crypto'
import type { PolicySpec } from '../engine/index.js'

/** The policy set as evidence: what each policy is and which controls it maps to, with the digest of exactly this text. */
export interface PolicySetRecord {
  digest: string
  policies: {
    id: string
    title: string
    severity: string
    stage?: string
    controls: { framework: string; control: string }[]
  }[]
}

/** Describe a policy set; the digest is the sha256 of the JSON of `policies` (sorted by id), so a reader can recompute it. */
export function policySetRecord(policies: readonly PolicySpec[]): PolicySetRecord {
  const list = [...policies]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((p) => ({
      id: p.id,
      title: p.title,
      severity: p.severity,
      ...(p.stage === undefined ? {} : { stage: p.stage }),
      controls: p.controls.map((c) => ({ framework: c.framework, control: c.control })),
    }))
  return { digest: `sha256:${createHash('sha256').update(JSON.stringify(list)).digest('hex')}`, policies: list }
}
