import path from 'node:path'
import picomatch from 'picomatch'
import { findingFingerprint, resourceRef, type Finding, type PolicyMeta } from '../../core/index.js'
import type { PalisadeConfig, ReviewConfig } from '../../config/index.js'
import { stablePath } from '../../engine/index.js'
import type { LocatedResource } from '../../pipeline/index.js'
import { detectAdmission } from './admission.js'
import { detectNetworkPolicies } from './network-policy.js'
import { pairResources } from './pairing.js'
import { detectConfigChanges } from './palisade-config.js'
import { detectPodSecurityLabels } from './pod-security-labels.js'
import { detectRbac } from './rbac.js'
import { detectSecurityContext } from './security-context.js'
import { detectTrustFileChanges, type TrustFileText } from './trust-files.js'
import type { WeakeningChange } from './types.js'

/** Policy id of security-weakening findings. */
export const REVIEW_POLICY_ID = 'requires-review'

/** Metadata of the requires-review findings, for reports (SARIF rules, JUnit). */
export const REVIEW_POLICY_META: PolicyMeta = {
  id: REVIEW_POLICY_ID,
  title: 'Security-weakening change needs review by its owners',
  summary:
    'A change between the base and the head weakens RBAC, network policy, Pod Security, admission control, securityContext, Palisade configuration or the trusted commit signers.',
  rationale:
    'Diffs that quietly widen access or switch a control off are the ones reviewers miss; naming them, with the owners who must approve, turns them into an explicit decision.',
  remediation: 'Have the named owners review and approve the change, or revert the weakening part.',
  severity: 'high',
  category: 'requires-review',
  controls: [
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'nist', control: 'CM-3' },
    { framework: 'pci', control: '6.5.1' },
  ],
}

/** One side of the comparison. */
export interface ReviewSide {
  resources: readonly LocatedResource[]
  config?: { config: PalisadeConfig; resource: LocatedResource }
}

/**
 * Compare a base and a head and report every security-weakening change as a
 * `requires-review` finding naming the owners who must approve (last matching
 * `review.owners` rule, as in CODEOWNERS). The action is `review.action` (default warn:
 * approval happens in the code host; set deny to make the gate fail until it is reverted
 * or waived).
 *
 * @param review the review settings to apply: the caller passes the base's where a pull request could weaken them
 * @param selected the policy ids a `policies.select` value selects (for a changed selection)
 * @param now the day scheduled actions are judged on
 * @param trustFiles the commit-signing trust files (allowed signers, OpenPGP keys) at the base and the head
 */
export function reviewChanges(
  base: ReviewSide,
  head: ReviewSide,
  review: ReviewConfig | undefined,
  configRoot: string,
  selected: (select: string) => ReadonlySet<string>,
  now: Date,
  trustFiles: readonly TrustFileText[] = [],
): Finding[] {
  const { pairs, added, removed } = pairResources(base.resources, head.resources)
  const changes: WeakeningChange[] = [
    ...detectRbac(pairs, added, removed),
    ...detectNetworkPolicies(pairs, added, removed),
    ...detectPodSecurityLabels(pairs, added, removed),
    ...detectAdmission(pairs, added, removed),
    ...detectSecurityContext(pairs, added, removed),
    ...detectTrustFileChanges(trustFiles),
  ]
  if (base.config && head.config)
    changes.push(...detectConfigChanges(base.config.config, head.config.config, head.config.resource, selected, now))
  const owners = ownerMatcher(review, configRoot)
  return changes.map((change) => toFinding(change, review?.action ?? 'warn', owners(change.resource.file)))
}

function ownerMatcher(review: ReviewConfig | undefined, root: string): (file: string) => readonly string[] {
  const rules = (review?.owners ?? []).map((r) => ({ match: picomatch([...r.paths], { dot: true }), owners: r.owners }))
  return (file) => {
    const rel = path.posix.relative(root.split(path.sep).join('/'), file.split(path.sep).join('/'))
    let found: readonly string[] = []
    for (const rule of rules) if (rule.match(rel)) found = rule.owners
    return found
  }
}

function toFinding(change: WeakeningChange, action: Finding['action'], owners: readonly string[]): Finding {
  const ref = resourceRef(change.resource.object)
  const stable = stablePath(change.resource.object, change.path)
  const who =
    owners.length > 0
      ? `; needs review by ${owners.join(', ')}`
      : '; no owner is configured for this path (review.owners)'
  return {
    policyId: REVIEW_POLICY_ID,
    messageId: change.messageId,
    message: `${change.message}${who}`,
    status: 'fail',
    severity: change.severity,
    path: change.path,
    stablePath: stable,
    resource: ref,
    span: change.resource.locate(change.path),
    controls: REVIEW_POLICY_META.controls,
    category: REVIEW_POLICY_META.category,
    action,
    owners,
    baseline: 'new',
    fingerprint: findingFingerprint({
      policyId: REVIEW_POLICY_ID,
      messageId: change.messageId,
      resource: ref,
      stablePath: `${change.side}:${stable}`,
    }),
  }
}
