import { isRecord, type KubeObject } from '../../core/index.js'
import { resourceOf } from '../shared/match-constraints.js'
import { isCompatError } from '../shared/errors.js'
import { readConstraint, type Constraint, type GatekeeperAction } from './constraint.js'
import { isConstraintDocument, isTemplateDocument } from './policy.js'
import { GATEKEEPER_VARIABLES, readConstraintTemplate } from './template.js'

/** One template exported as a ValidatingAdmissionPolicy, with a binding and params object per constraint. */
export interface GatekeeperExport {
  exported: { id: string; objects: KubeObject[] }[]
  skipped: { id: string; reason: string }[]
}

const VALIDATION_ACTION: Record<GatekeeperAction, string> = { deny: 'Deny', warn: 'Warn', audit: 'Audit' }
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
const isGlob = (s: string): boolean => s.includes('*')

/**
 * A constraint's spec.match as the binding's matchResources, or why it cannot be: globs in
 * namespaces or name have no equivalent in a binding.
 */
function matchResources(c: Constraint): Record<string, unknown> | string {
  const m = c.match
  const namespaces = strings(m.namespaces)
  const excluded = strings(m.excludedNamespaces)
  if ([...namespaces, ...excluded].some(isGlob))
    return 'spec.match.namespaces or excludedNamespaces use a glob, which a binding cannot express'
  if (typeof m.name === 'string' && isGlob(m.name)) return 'spec.match.name uses a glob, which a binding cannot express'
  const out: Record<string, unknown> = {}
  const kinds = Array.isArray(m.kinds) ? m.kinds.filter(isRecord) : []
  const scope = m.scope === 'Cluster' || m.scope === 'Namespaced' ? m.scope : '*'
  const rules = kinds.map((k) => {
    const ks = strings(k.kinds)
    return {
      apiGroups: strings(k.apiGroups).length > 0 ? strings(k.apiGroups) : ['*'],
      apiVersions: ['*'],
      operations: ['CREATE', 'UPDATE'],
      resources: ks.length === 0 || ks.includes('*') ? ['*'] : ks.map(resourceOf),
      ...(typeof m.name === 'string' && m.name !== '' ? { resourceNames: [m.name] } : {}),
      scope,
    }
  })
  if (rules.length > 0) out.resourceRules = rules
  const expressions: unknown[] = []
  const selector = isRecord(m.namespaceSelector) ? m.namespaceSelector : {}
  if (Array.isArray(selector.matchExpressions)) expressions.push(...selector.matchExpressions)
  if (namespaces.length > 0)
    expressions.push({ key: 'kubernetes.io/metadata.name', operator: 'In', values: namespaces })
  if (excluded.length > 0) expressions.push({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: excluded })
  if (isRecord(m.namespaceSelector) || expressions.length > 0)
    out.namespaceSelector = {
      ...(isRecord(selector.matchLabels) ? { matchLabels: selector.matchLabels } : {}),
      ...(expressions.length > 0 ? { matchExpressions: expressions } : {}),
    }
  if (isRecord(m.labelSelector)) out.objectSelector = m.labelSelector
  return out
}

/**
 * Export templates with a K8sNativeValidation engine as Gatekeeper does: one
 * ValidatingAdmissionPolicy `gatekeeper-<template>` whose paramKind is the constraint kind
 * (variables params and anyObject first), and per constraint a binding
 * `gatekeeper-<constraint>` (paramRef to the constraint, validationActions from its
 * enforcement action at vap.k8s.io, matchResources from spec.match) and the constraint
 * itself as the params resource. Rego-only templates and constraints whose match a binding
 * cannot express are listed with the reason.
 */
export function exportGatekeeperDocuments(documents: readonly KubeObject[]): GatekeeperExport {
  const out: GatekeeperExport = { exported: [], skipped: [] }
  const constraints = documents.filter(isConstraintDocument)
  for (const doc of documents.filter(isTemplateDocument)) {
    const name = String((isRecord(doc.metadata) ? doc.metadata.name : '') ?? '')
    let template
    try {
      template = readConstraintTemplate(doc)
    } catch (error) {
      if (!isCompatError(error)) throw error
      out.skipped.push({ id: `ConstraintTemplate/${name}`, reason: error.message })
      continue
    }
    const source = template.celSource
    if (!source) {
      out.skipped.push({
        id: `ConstraintTemplate/${name}`,
        reason: 'the template has no K8sNativeValidation (CEL) code; Rego cannot run as a ValidatingAdmissionPolicy',
      })
      continue
    }
    const policyName = `gatekeeper-${name}`
    const vap: KubeObject = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: policyName },
      spec: {
        failurePolicy: source.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
        paramKind: { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: template.kind },
        matchConstraints: {
          resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['*'] }],
        },
        ...(Array.isArray(source.matchConditions) && source.matchConditions.length > 0
          ? { matchConditions: source.matchConditions }
          : {}),
        variables: [...GATEKEEPER_VARIABLES, ...(Array.isArray(source.variables) ? source.variables : [])],
        validations: Array.isArray(source.validations) ? source.validations : [],
      },
    }
    const objects: KubeObject[] = [vap]
    for (const c of constraints.filter((x) => x.kind === template.kind)) {
      const cname = String((isRecord(c.metadata) ? c.metadata.name : '') ?? '')
      let constraint: Constraint
      try {
        constraint = readConstraint(c, template)
      } catch (error) {
        if (!isCompatError(error)) throw error
        out.skipped.push({ id: `${template.kind}/${cname}`, reason: error.message })
        continue
      }
      const match = matchResources(constraint)
      if (typeof match === 'string') {
        out.skipped.push({ id: `${template.kind}/${cname}`, reason: match })
        continue
      }
      const action = constraint.actions['vap.k8s.io'] ?? constraint.actions['validation.gatekeeper.sh'] ?? 'deny'
      objects.push({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: `gatekeeper-${cname}` },
        spec: {
          policyName,
          paramRef: { name: cname, parameterNotFoundAction: 'Deny' },
          validationActions: [VALIDATION_ACTION[action]],
          ...(Object.keys(match).length > 0 ? { matchResources: match } : {}),
        },
      })
      objects.push(c)
    }
    out.exported.push({ id: `ConstraintTemplate/${name}`, objects })
  }
  return out
}
