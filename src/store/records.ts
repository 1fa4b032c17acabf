import type { Action, Severity } from '../core/index.js'

/** What identifies and describes one recorded scan. */
export interface RunMeta {
  /** Repository identity: its remote URL without credentials, or its folder name. */
  repo: string
  /** Branch or other ref the run is about (lifecycle is tracked per repo + ref). */
  ref: string
  commit?: string
  /** When the scanned state existed: now for `scan --record`, the commit time for `history import`. */
  startedAt: Date
  durationMs: number
  toolVersion: string
  /** sha256 of the policy set (ids, severities, actions, user policies) that judged the run. */
  policyDigest: string
  environments: readonly string[]
  /** `scan` or `history`. */
  source: 'scan' | 'history'
  /**
   * The commit's place in the ref's first-parent history (1: the root commit), which orders a
   * ref's runs (docs/store.md, "The latest run of a ref"); undefined when Git cannot tell
   * (no repository, a shallow clone).
   */
  position?: number
  /**
   * The id of the ref's latest run when Git found this run's commit on neither side of that
   * run's commit (the ref was rewritten: a force-push to another history): this run replaces
   * it whatever the positions. Only a live scan sets it (docs/store.md, "The latest run of a ref").
   */
  rewrites?: number
}

/** One finding as stored. */
export interface FindingRecord {
  fingerprint: string
  policy: string
  severity: Severity
  action: Action
  status: 'fail' | 'error'
  message: string
  environment?: string
  kind?: string
  namespace?: string
  name?: string
  file?: string
  line?: number
  waiver?: { source: 'config' | 'annotation'; reason: string; owner?: string; expires?: string }
}

/** The action a policy had in an environment during the run (rollout state), whether or not it found anything. */
export interface PolicyActionRecord {
  policy: string
  environment?: string
  action: Action
}

/** A run to record: metadata, every finding, and the policy actions in force. */
export interface RunRecord {
  meta: RunMeta
  findings: readonly FindingRecord[]
  policyActions: readonly PolicyActionRecord[]
}

/** What recording a run changed in the findings' lifecycle. */
export interface RunOutcome {
  runId: number
  opened: number
  reopened: number
  fixed: number
  /** False when the run did not become its ref's head (a later commit's run is recorded): the run is kept, the lifecycle is not rewound. */
  lifecycleUpdated: boolean
}

/** One commit's signature verdict (`verify-commits --record`, `history import`). */
export interface CommitRecord {
  repo: string
  sha: string
  committedAt?: Date
  author?: string
  signer?: string
  signed: boolean
  /** `verified`, `unsigned`, `untrusted`, `invalid`, ... as verify-commits reports it. */
  verdict: string
}

/** One deployment: a commit that changed what an environment deploys. */
export interface DeploymentRecord {
  repo: string
  environment: string
  sha: string
  authoredAt: Date
  deployedAt: Date
  /** The commit that reverted it within the configured window, and when. */
  revertedBy?: string
  restoredAt?: Date
}

/** One admission decision with a finding (`serve --record`). */
export interface AdmissionDecision {
  at: Date
  uid?: string
  policy: string
  action: Action
  /** Whether the request was denied because of this finding. */
  denied: boolean
  environment?: string
  namespace?: string
  kind?: string
  name?: string
  operation?: string
  username?: string
  message: string
}
