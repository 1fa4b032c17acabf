import { describeError, isRecord, type Diagnostic, type KubeObject, type SourceSpan } from '../core/index.js'
import { readKyvernoPolicy, runPolicy, type KyvernoPolicy } from './kyverno/policy.js'
import { readGeneratingPolicy, runGeneratingPolicy } from './kyverno/generating-policy.js'
import { readMutatingPolicy, runMutatingPolicy } from './kyverno/mutating-policy/mutating-policy.js'
import { readValidatingPolicy, runValidatingPolicy } from './kyverno/validating-policy.js'
import type { PolicyRunEnv, RunnablePolicy } from './run-env.js'
import { actionOf, type CelPolicyEnv } from './shared/cel-env.js'
import { isCompatError, type CompatErrorCode } from './shared/errors.js'
import type { RuleResponse } from './shared/rule-response.js'
import { readVap, runVap } from './vap/vap-policy.js'
import {
  isConstraintDocument,
  isTemplateDocument,
  readGatekeeperDocuments,
  type GatekeeperPolicy,
} from './gatekeeper/policy.js'

/** A policy document with where it came from. */
export interface PolicyDocument {
  object: KubeObject
  file: string
  /** Span of the document (for diagnostics). */
  span?: SourceSpan
}

/** Any policy Palisade reads from users: Kyverno (ClusterPolicy, Policy, ValidatingPolicy) or Kubernetes VAP. */
export interface UserPolicy extends RunnablePolicy {
  kind: string
  name: string
  file: string
  /** Kind names the policy can apply to; undefined = any. */
  kinds: ReadonlySet<string> | undefined
  /** The action the policy itself declares (Enforce/Deny, Warn, Audit). */
  declaredAction: 'deny' | 'warn' | 'audit'
  /** Severity the policy declares (policies.kyverno.io/severity), lower-case. */
  severity?: string
}

/** Kinds of documents `--policy-dir` and `palisade test` read as policies (bindings included). */
export const POLICY_KINDS: ReadonlySet<string> = new Set([
  'ClusterPolicy',
  'Policy',
  'ValidatingPolicy',
  'NamespacedValidatingPolicy',
  'MutatingPolicy',
  'GeneratingPolicy',
  'ImageValidatingPolicy',
  'DeletingPolicy',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
])

/**
 * A document `--policy-dir` and `palisade test` read as a policy: the kinds above, and
 * Gatekeeper ConstraintTemplates and Constraints (whose kinds the templates define).
 */
export function isPolicyDocument(o: KubeObject): boolean {
  return POLICY_KINDS.has(String(o.kind)) || isTemplateDocument(o) || isConstraintDocument(o)
}

const group = (o: KubeObject): string =>
  typeof o.apiVersion === 'string' && o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : ''

function vapEnv(resource: KubeObject, env: PolicyRunEnv): CelPolicyEnv {
  const meta = isRecord(resource.metadata) ? resource.metadata : {}
  const ns = typeof meta.namespace === 'string' ? meta.namespace : ''
  return {
    operation: env.operation,
    oldObject: env.oldObject,
    user: env.user,
    namespaceLabels: env.namespaceLabels,
    namespaceObject: ns === '' ? null : (env.lookup('v1', 'Namespace', '', ns) ?? null),
    objects: env.objects,
    ...(env.image === undefined ? {} : { image: env.image }),
    now: env.now ?? (() => new Date()),
  }
}

function kyvernoAdapter(policy: KyvernoPolicy, file: string): UserPolicy {
  return {
    kind: policy.kind,
    name: policy.name,
    testName: policy.namespace === undefined ? policy.name : `${policy.namespace}/${policy.name}`,
    file,
    kinds: policy.kinds,
    declaredAction: policy.failureAction === 'Enforce' ? 'deny' : 'audit',
    ...(policy.annotations['policies.kyverno.io/severity'] === undefined
      ? {}
      : { severity: policy.annotations['policies.kyverno.io/severity'].toLowerCase() }),
    run(resource, env, phase) {
      const types: ReadonlySet<RuleResponse['type']> =
        phase === 'mutate' ? new Set(['mutate']) : new Set(['validate', 'generate'])
      return runPolicy(policy, resource, { ...env, types })
    },
  }
}

function celAdapter(
  kind: string,
  name: string,
  file: string,
  action: UserPolicy['declaredAction'],
  run: (resource: KubeObject, env: PolicyRunEnv) => RuleResponse[],
): UserPolicy {
  return {
    kind,
    name,
    testName: name,
    file,
    kinds: undefined,
    declaredAction: action,
    run: (resource, env, phase) => ({ responses: phase === 'mutate' ? [] : run(resource, env), patched: resource }),
  }
}

function gatekeeperAdapter(p: GatekeeperPolicy, file: string): UserPolicy {
  const c = p.constraint
  return {
    kind: c.kind,
    name: c.name,
    testName: c.name,
    file,
    kinds: p.kinds,
    declaredAction: p.action,
    run: (resource, env, phase) => ({
      responses:
        phase === 'mutate'
          ? []
          : p.run(resource, {
              operation: env.operation,
              oldObject: env.oldObject,
              user: env.user,
              namespaceLabels: env.namespaceLabels,
              objects: env.objects,
              ...(env.namespaces === undefined ? {} : { namespaces: env.namespaces }),
            }),
      patched: resource,
    }),
  }
}

/** The diagnostic of a policy that does not load: a CEL compile error is named as such. */
function diagnosticCode(code: CompatErrorCode): 'CEL_COMPILE' | 'POLICY_INVALID' {
  switch (code) {
    case 'CEL_COMPILE':
      return 'CEL_COMPILE'
    case 'POLICY_INVALID':
    case 'UNSUPPORTED':
    case 'CEL_RUNTIME':
      return 'POLICY_INVALID'
  }
}

/**
 * Read policy documents by kind. A document that is not a policy is ignored; a policy
 * that cannot be read becomes a POLICY_INVALID diagnostic with its file and line, and the
 * others still load. `others` are the other objects of the run (VAP bindings and params).
 */
export function loadPolicyDocuments(documents: readonly PolicyDocument[]): {
  policies: UserPolicy[]
  diagnostics: Diagnostic[]
} {
  const policies: UserPolicy[] = []
  const diagnostics: Diagnostic[] = []
  const bindings = documents
    .map((d) => d.object)
    .filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && group(o) === 'admissionregistration.k8s.io')
  const paramKinds = new Set(
    documents
      .map((d) => d.object)
      .filter((o) => o.kind === 'ValidatingAdmissionPolicy' && isRecord(o.spec) && isRecord(o.spec.paramKind))
      .map((o) => String(((o.spec as Record<string, unknown>).paramKind as Record<string, unknown>).kind ?? '')),
  )
  const gatekeeper = readGatekeeperDocuments(
    documents.filter((d) => isTemplateDocument(d.object) || isConstraintDocument(d.object)),
    paramKinds,
  )
  for (const { doc, policy } of gatekeeper.policies) policies.push(gatekeeperAdapter(policy, doc.file))
  for (const { doc, error } of gatekeeper.problems) {
    if (!isCompatError(error)) throw error
    diagnostics.push({
      code: diagnosticCode(error.code),
      message: `${doc.file}: ${describeError(error)}`,
      ...(doc.span ? { span: doc.span } : {}),
    })
  }
  for (const doc of documents) {
    const o = doc.object
    const kind = o.kind
    if (typeof kind !== 'string') continue
    const g = group(o)
    try {
      if ((kind === 'ClusterPolicy' || kind === 'Policy') && g === 'kyverno.io') {
        policies.push(kyvernoAdapter(readKyvernoPolicy(o), doc.file))
      } else if (
        (kind === 'ValidatingPolicy' || kind === 'NamespacedValidatingPolicy') &&
        g === 'policies.kyverno.io'
      ) {
        const p = readValidatingPolicy(o)
        // A NamespacedValidatingPolicy applies only to resources of its own namespace.
        const own =
          kind === 'NamespacedValidatingPolicy' && isRecord(o.metadata) && typeof o.metadata.namespace === 'string'
            ? o.metadata.namespace
            : undefined
        const inScope = (resource: KubeObject): boolean =>
          own === undefined || (isRecord(resource.metadata) && resource.metadata.namespace === own)
        policies.push(
          celAdapter(kind, p.name, doc.file, p.action, (resource, env) =>
            inScope(resource) ? runValidatingPolicy(p, resource, vapEnv(resource, env)) : [],
          ),
        )
      } else if (kind === 'MutatingPolicy' && g === 'policies.kyverno.io') {
        const p = readMutatingPolicy(o)
        policies.push({
          kind,
          name: p.name,
          testName: p.name,
          file: doc.file,
          kinds: undefined,
          // A mutation is a change the cluster would make: offered as a fix (warn: /mutate applies it, validation does not reject).
          declaredAction: 'warn',
          ...(p.reinvoke ? { reinvoke: true } : {}),
          run: (resource, env, phase) =>
            phase === 'mutate'
              ? runMutatingPolicy(p, resource, vapEnv(resource, env))
              : { responses: [], patched: resource },
        })
      } else if (kind === 'GeneratingPolicy' && g === 'policies.kyverno.io') {
        const p = readGeneratingPolicy(o)
        // Generated objects are reported (audit), never written anywhere.
        policies.push(
          celAdapter(kind, p.name, doc.file, 'audit', (resource, env) =>
            runGeneratingPolicy(p, resource, vapEnv(resource, env)),
          ),
        )
      } else if (kind === 'ValidatingAdmissionPolicy' && g === 'admissionregistration.k8s.io') {
        const p = readVap(o, bindings)
        const action = actionOf(p.bindings.flatMap((b) => b.validationActions))
        if (p.unbound)
          diagnostics.push({
            code: 'POLICY_INVALID',
            severity: 'warning',
            message: `${doc.file}: ValidatingAdmissionPolicy ${p.name} has no binding; Kubernetes would not enforce it, Palisade evaluates it as if bound with validationActions [Deny]`,
            ...(doc.span ? { span: doc.span } : {}),
          })
        policies.push(
          celAdapter(kind, p.name, doc.file, action, (resource, env) => runVap(p, resource, vapEnv(resource, env))),
        )
      } else if (
        POLICY_KINDS.has(kind) &&
        kind !== 'ValidatingAdmissionPolicyBinding' &&
        (g === 'policies.kyverno.io' || g === 'admissionregistration.k8s.io')
      ) {
        const name = String((isRecord(o.metadata) ? o.metadata.name : '') ?? '')
        policies.push(
          celAdapter(kind, name, doc.file, 'deny', () => [
            {
              rule: name,
              type: 'validate',
              status: 'error',
              message: `unsupported policy kind: ${kind}`,
              policyLevel: true,
            },
          ]),
        )
      }
    } catch (error) {
      if (!isCompatError(error)) throw error
      diagnostics.push({
        code: diagnosticCode(error.code),
        message: `${doc.file}: ${describeError(error)}`,
        ...(doc.span ? { span: doc.span } : {}),
      })
    }
  }
  return { policies, diagnostics }
}
