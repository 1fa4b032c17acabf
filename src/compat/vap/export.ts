import { isRecord, type Action, type KubeObject } from '../../core/index.js'
import type { PolicySpec } from '../../engine/index.js'
import { celLiteral, celPath, celString, renameIdentifier, rewritePodView } from './cel-rewrite.js'
import { resourceOf } from '../shared/match-constraints.js'
import { PSS_CEL, PSS_VARIABLES } from './pss-cel.js'

/** A policy exported as a ValidatingAdmissionPolicy and its binding. */
export interface ExportedPolicy {
  id: string
  objects: KubeObject[]
}

/** The outcome of an export: what was written and what could not be expressed. */
export interface ExportResult {
  exported: ExportedPolicy[]
  skipped: { id: string; reason: string }[]
}

/** Export options: the action per policy (from palisade.yaml for the environment), the environment, parameter values. */
export interface ExportOptions {
  actionFor(policy: PolicySpec): Action
  environment?: string
  params?: Readonly<Record<string, Readonly<Record<string, unknown>>>>
}

/** Fields of Kubernetes objects that are maps (forEach over them yields {key, value} entries). */
const MAP_FIELDS = new Set([
  'labels',
  'annotations',
  'limits',
  'requests',
  'nodeSelector',
  'data',
  'stringData',
  'binaryData',
  'matchLabels',
  'selector',
  'capacity',
  'allocatable',
  'hard',
  'parameters',
])

const VALIDATION_ACTIONS: Readonly<Record<Action, string[]>> = { deny: ['Deny'], warn: ['Warn'], audit: ['Audit'] }
const OPERATIONS = ['CREATE', 'UPDATE']
const CONTROLLER_RULES = [
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'] },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'] },
  { apiGroups: [''], resources: ['podtemplates', 'replicationcontrollers'] },
]
const POD_SPEC =
  "object.kind == 'Pod' ? object.?spec.orValue({}) : object.kind == 'CronJob' ? object.spec.?jobTemplate.?spec.?template.?spec.orValue({}) : object.kind == 'PodTemplate' ? object.?template.?spec.orValue({}) : object.spec.?template.?spec.orValue({})"
const POD_METADATA =
  "object.kind == 'Pod' ? object.?metadata.orValue({}) : object.kind == 'CronJob' ? object.spec.?jobTemplate.?spec.?template.?metadata.orValue({}) : object.kind == 'PodTemplate' ? object.?template.?metadata.orValue({}) : object.spec.?template.?metadata.orValue({})"

function globRegex(glob: string): string {
  return `^${glob
    .replace(/[\\^$.+()[\]{}|]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')}$`
}

function resourceRules(spec: PolicySpec): Record<string, unknown>[] | string {
  const rules: Record<string, unknown>[] = []
  for (const entry of spec.match.kinds) {
    if (entry === '*') return [{ apiGroups: ['*'], apiVersions: ['*'], operations: OPERATIONS, resources: ['*'] }]
    const parts = entry.split('/')
    const kind = parts[parts.length - 1] as string
    const group = parts.length >= 2 ? (parts[0] as string) : '*'
    const version = parts.length === 3 ? (parts[1] as string) : '*'
    rules.push({ apiGroups: [group], apiVersions: [version], operations: OPERATIONS, resources: [resourceOf(kind)] })
    if (kind === 'Pod' && spec.match.includePodTemplates) {
      for (const r of CONTROLLER_RULES)
        rules.push({ apiGroups: r.apiGroups, apiVersions: ['*'], operations: OPERATIONS, resources: r.resources })
    }
  }
  return rules
}

/**
 * Export a built-in CEL-rule policy as a native ValidatingAdmissionPolicy + binding: rules
 * become validations (forEach as `.all()` over the element lists), pod-template coverage
 * uses the `podSpec` / `podMetadata` variables, parameters are inlined as `variables.params`,
 * namespace globs become matchConditions, validationActions come from the environment's
 * action. Native TypeScript and cross-resource checks cannot be expressed and are listed.
 */
export function exportBuiltinPolicies(specs: readonly PolicySpec[], options: ExportOptions): ExportResult {
  const result: ExportResult = { exported: [], skipped: [] }
  for (const spec of specs) {
    const reason = unexportable(spec, options.environment)
    if (reason) {
      result.skipped.push({ id: spec.id, reason })
      continue
    }
    const rules = resourceRules(spec)
    if (typeof rules === 'string') {
      result.skipped.push({ id: spec.id, reason: rules })
      continue
    }
    const podView = spec.match.includePodTemplates === true || PSS_CEL[spec.id] !== undefined
    const rewrite = (e: string): string => {
      const withParams = renameIdentifier(e, 'params', 'variables.params')
      return podView ? rewritePodView(withParams) : withParams
    }
    const params: Record<string, unknown> = {}
    for (const [name, p] of Object.entries(spec.params ?? {}))
      params[name] = options.params?.[spec.id]?.[name] ?? p.default
    const variables: { name: string; expression: string }[] = []
    if (Object.keys(params).length > 0) variables.push({ name: 'params', expression: celLiteral(params) })
    if (podView)
      variables.push({ name: 'podSpec', expression: POD_SPEC }, { name: 'podMetadata', expression: POD_METADATA })
    for (const v of spec.variables ?? []) variables.push({ name: v.name, expression: rewrite(v.expression) })
    const pss = PSS_CEL[spec.id]
    if (pss !== undefined) variables.push(...PSS_VARIABLES)
    const matchConditions: { name: string; expression: string }[] = []
    if (spec.match.namespaces?.length) {
      matchConditions.push({
        name: 'palisade-namespaces',
        expression: `request.namespace != '' && (${spec.match.namespaces.map((g) => `request.namespace.matches(${celString(globRegex(g))})`).join(' || ')})`,
      })
    }
    if (spec.match.excludeNamespaces?.length) {
      matchConditions.push({
        name: 'palisade-exclude-namespaces',
        expression: `request.namespace == '' || !(${spec.match.excludeNamespaces.map((g) => `request.namespace.matches(${celString(globRegex(g))})`).join(' || ')})`,
      })
    }
    if (spec.match.condition)
      matchConditions.push({ name: 'palisade-condition', expression: rewrite(spec.match.condition) })
    const root = (pointer: string): string => {
      const fallback = MAP_FIELDS.has(pointer.slice(pointer.lastIndexOf('/') + 1)) ? '{}' : '[]'
      const first = pointer.split('/')[1]
      if (podView && first === 'spec') return celPath('variables.podSpec', pointer.slice('/spec'.length), fallback)
      if (podView && first === 'metadata')
        return celPath('variables.podMetadata', pointer.slice('/metadata'.length), fallback)
      return celPath('object', pointer, fallback)
    }
    // forEach iterates lists by item and maps by {key, value} entries, as the engine does;
    // Kubernetes map fields are iterated as maps, everything else as a list.
    const each = (pointer: string, collection: string, as: string, body: string): string =>
      MAP_FIELDS.has(pointer.slice(pointer.lastIndexOf('/') + 1))
        ? `${collection}.all(k, [{'key': k, 'value': ${collection}[k]}].all(${as}, ${body}))`
        : `${collection}.all(${as}, ${body})`
    const pssValidation =
      pss === undefined ? [] : [{ expression: pss, message: spec.remediation ?? spec.summary, reason: 'Forbidden' }]
    const validations = [
      ...pssValidation,
      ...(spec.rules ?? []).map((rule) => {
        let expression = `(${rewrite(rule.expression)})`
        if (rule.forEach) {
          const inner = expression
          const outer = spec.forEach?.as
          const as = rule.forEach.as
          expression = rule.forEach.paths
            .map((p) =>
              each(
                p,
                outer === undefined
                  ? root(p)
                  : celPath(outer, p, MAP_FIELDS.has(p.slice(p.lastIndexOf('/') + 1)) ? '{}' : '[]'),
                as,
                inner,
              ),
            )
            .join(' && ')
        }
        if (spec.forEach) {
          const inner = expression
          const as = spec.forEach.as
          expression = spec.forEach.paths.map((p) => each(p, root(p), as, inner)).join(' && ')
        }
        const template = spec.messages[rule.messageId] ?? rule.messageId
        return {
          expression,
          message: template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, '<$1>'),
          reason: 'Invalid',
        }
      }),
    ]
    const name = `palisade-${spec.id}`
    const vap: KubeObject = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: {
        name,
        labels: { 'app.kubernetes.io/managed-by': 'palisade' },
        annotations: { 'palisade.dev/policy': spec.id, 'palisade.dev/severity': spec.severity },
      },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: rules },
        ...(matchConditions.length > 0 ? { matchConditions } : {}),
        ...(variables.length > 0 ? { variables } : {}),
        validations,
      },
    }
    const binding: KubeObject = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'palisade' } },
      spec: { policyName: name, validationActions: VALIDATION_ACTIONS[options.actionFor(spec)] },
    }
    result.exported.push({ id: spec.id, objects: [vap, binding] })
  }
  return result
}

function unexportable(spec: PolicySpec, environment: string | undefined): string | undefined {
  if (spec.checkAll)
    return 'cross-resource check (looks at several resources at once); a ValidatingAdmissionPolicy sees one object'
  if (spec.check && PSS_CEL[spec.id] === undefined) return 'native TypeScript check with no CEL form yet'
  const envs = spec.match.environments
  if (envs?.length && (environment === undefined || !envs.includes(environment))) {
    return `limited to environments ${envs.join(', ')}${environment === undefined ? '; pass --env' : `, not ${environment}`}`
  }
  return undefined
}

/**
 * User policies for export: ValidatingAdmissionPolicies and their bindings pass through;
 * Kyverno ValidatingPolicies become VAPs (their CEL may use Kyverno-only libraries, which
 * the API server lacks); Kyverno pattern/JMESPath policies cannot be exported.
 */
export function exportUserDocuments(documents: readonly KubeObject[]): ExportResult {
  const result: ExportResult = { exported: [], skipped: [] }
  const nameOf = (o: KubeObject): string => String((isRecord(o.metadata) ? o.metadata.name : '') ?? '')
  for (const doc of documents) {
    const kind = String(doc.kind)
    if (kind === 'ValidatingAdmissionPolicy') {
      const bindings = documents.filter(
        (d) => d.kind === 'ValidatingAdmissionPolicyBinding' && isRecord(d.spec) && d.spec.policyName === nameOf(doc),
      )
      result.exported.push({ id: nameOf(doc), objects: [doc, ...bindings] })
    } else if (kind === 'ValidatingPolicy' && isRecord(doc.spec)) {
      const s = doc.spec
      const name = nameOf(doc)
      const vap: KubeObject = {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name, annotations: { 'palisade.dev/converted-from': 'policies.kyverno.io ValidatingPolicy' } },
        spec: Object.fromEntries(
          Object.entries({
            failurePolicy: s.failurePolicy ?? 'Fail',
            matchConstraints: s.matchConstraints,
            matchConditions: s.matchConditions,
            variables: s.variables,
            validations: s.validations,
            auditAnnotations: s.auditAnnotations,
          }).filter(([, v]) => v !== undefined),
        ),
      }
      const binding: KubeObject = {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name },
        spec: {
          policyName: name,
          validationActions: Array.isArray(s.validationActions) ? s.validationActions : ['Deny'],
        },
      }
      result.exported.push({ id: name, objects: [vap, binding] })
    } else if (kind === 'ClusterPolicy' || kind === 'Policy') {
      result.skipped.push({
        id: nameOf(doc),
        reason: `Kyverno ${kind}: pattern, JMESPath and mutate rules have no CEL form`,
      })
    }
  }
  return result
}
