import { describeError, isRecord, type Diagnostic, type KubeObject, type SourceSpan } from '../core/index.js'
import { KyvernoError } from './kyverno/errors.js'
import { readKyvernoPolicy, runPolicy, type KyvernoPolicy } from './kyverno/policy.js'
import type { TestablePolicy, TestRunEnv } from './kyverno/test/run-test.js'
import type { RuleResponse } from './kyverno/types.js'

/** A policy document with where it came from. */
export interface PolicyDocument {
  object: KubeObject
  file: string
  /** Span of the document (for diagnostics). */
  span?: SourceSpan
}

/** Any policy Palisade reads from users: Kyverno (ClusterPolicy, Policy, ValidatingPolicy, ...) or Kubernetes VAP. */
export interface UserPolicy extends TestablePolicy {
  kind: string
  name: string
  file: string
  /** Kind names the policy can apply to; undefined = any. */
  kinds: ReadonlySet<string> | undefined
  /** Enforce/Deny or Audit/Warn as the policy itself declares. */
  declaredAction: 'deny' | 'warn' | 'audit'
}

/** Kinds of documents `--policy-dir` and `palisade test` read as policies. */
export const POLICY_KINDS: ReadonlySet<string> = new Set(['ClusterPolicy', 'Policy'])

function kyvernoAdapter(policy: KyvernoPolicy, file: string): UserPolicy {
  const testName = policy.namespace === undefined ? policy.name : `${policy.namespace}/${policy.name}`
  return {
    kind: policy.kind,
    name: policy.name,
    testName,
    file,
    kinds: policy.kinds,
    declaredAction: policy.failureAction === 'Enforce' ? 'deny' : 'audit',
    run(resource: KubeObject, env: TestRunEnv, phase: 'mutate' | 'rest'): { responses: RuleResponse[]; patched: KubeObject } {
      const types: ReadonlySet<RuleResponse['type']> = phase === 'mutate' ? new Set(['mutate']) : new Set(['validate', 'generate'])
      return runPolicy(policy, resource, { ...env, types })
    },
  }
}

/**
 * Read policy documents by kind. A document that is not a policy is ignored; a policy
 * that cannot be read becomes a POLICY_INVALID diagnostic with its file and line, and the
 * others still load.
 */
export function loadPolicyDocuments(documents: readonly PolicyDocument[]): { policies: UserPolicy[]; diagnostics: Diagnostic[] } {
  const policies: UserPolicy[] = []
  const diagnostics: Diagnostic[] = []
  for (const doc of documents) {
    const kind = doc.object.kind
    if (typeof kind !== 'string' || !isRecord(doc.object)) continue
    try {
      if (kind === 'ClusterPolicy' || kind === 'Policy') {
        if (typeof doc.object.apiVersion !== 'string' || !doc.object.apiVersion.startsWith('kyverno.io/')) continue
        policies.push(kyvernoAdapter(readKyvernoPolicy(doc.object), doc.file))
      }
    } catch (error) {
      if (!(error instanceof KyvernoError)) throw error
      diagnostics.push({ code: 'POLICY_INVALID', message: `${doc.file}: ${describeError(error)}`, ...(doc.span ? { span: doc.span } : {}) })
    }
  }
  return { policies, diagnostics }
}
