import { isRecord, type KubeObject } from '../../core/index.js'
import type { LocatedResource } from '../../pipeline/index.js'
import { describe } from './pairing.js'
import { kindOf, list, str, strings, type Detector, type WeakeningChange } from './types.js'

const ROLE_KINDS = new Set(['Role', 'ClusterRole'])
const BINDING_KINDS = new Set(['RoleBinding', 'ClusterRoleBinding'])
/** Built-in roles that grant broad powers. */
const POWERFUL_ROLES = new Set([
  'cluster-admin',
  'admin',
  'edit',
  'system:masters',
  'system:controller:clusterrole-aggregation-controller',
])
const SENSITIVE_VERBS = new Set(['*', 'escalate', 'bind', 'impersonate'])
const SENSITIVE_RESOURCES = new Set([
  '*',
  'secrets',
  'pods/exec',
  'pods/attach',
  'nodes/proxy',
  'serviceaccounts/token',
  'certificatesigningrequests/approval',
  'clusterroles',
  'clusterrolebindings',
  'roles',
  'rolebindings',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
])
const EVERYONE = new Set(['system:anonymous', 'system:unauthenticated', 'system:authenticated'])

/** Every permission of a role as `group|resource|verb` (and `url|path|verb` for non-resource URLs). */
export function permissions(role: KubeObject): Set<string> {
  const out = new Set<string>()
  for (const rule of list(role.rules)) {
    if (!isRecord(rule)) continue
    const verbs = strings(rule.verbs)
    const names = strings(rule.resourceNames)
    for (const group of strings(rule.apiGroups).length ? strings(rule.apiGroups) : ['']) {
      for (const resource of strings(rule.resources)) {
        for (const verb of verbs)
          out.add(`${group}|${resource}|${verb}${names.length ? `|${names.sort().join(',')}` : ''}`)
      }
    }
    for (const url of strings(rule.nonResourceURLs)) for (const verb of verbs) out.add(`url|${url}|${verb}`)
  }
  return out
}

/** True when a permission of the base covers this one (exactly, or by a wildcard or a name restriction lifted). */
function covered(permission: string, base: ReadonlySet<string>): boolean {
  if (base.has(permission)) return true
  const [group, resource, verb] = permission.split('|') as [string, string, string]
  for (const b of base) {
    const [bg, br, bv, names] = b.split('|') as [string, string, string, string | undefined]
    if (names !== undefined && permission.split('|')[3] === undefined) continue
    if ((bg === '*' || bg === group) && (br === '*' || br === resource) && (bv === '*' || bv === verb)) return true
  }
  return false
}

const isSensitive = (permission: string): boolean => {
  const [, resource, verb] = permission.split('|') as [string, string, string]
  return SENSITIVE_VERBS.has(verb) || SENSITIVE_RESOURCES.has(resource) || (resource === 'pods' && verb === 'create')
}

const pretty = (p: string): string => {
  const [group, resource, verb, names] = p.split('|')
  if (group === 'url') return `${verb} ${resource}`
  return `${verb} ${group ? `${group}/` : ''}${resource}${names ? ` (${names})` : ''}`
}

/** True when a role grants a wildcard or a sensitive permission (secrets, escalate, exec, ...). */
export function isPowerfulRole(role: KubeObject): boolean {
  return [...permissions(role)].some(isSensitive)
}

/**
 * RBAC widened: a Role or ClusterRole gained permissions (a wildcard is called out on
 * its own), a new role grants sensitive permissions, a ClusterRole's aggregation
 * selectors changed, or a binding to a powerful role (cluster-admin, admin, edit, or a
 * role of the change that grants sensitive permissions) gained subjects, or any binding
 * now includes everyone (system:anonymous, system:unauthenticated, system:authenticated).
 */
export const detectRbac: Detector = (pairs, added) => {
  const changes: WeakeningChange[] = []
  const headRoles = new Map<string, KubeObject>()
  for (const r of [...pairs.map((p) => p.head), ...added]) {
    if (ROLE_KINDS.has(kindOf(r.object)))
      headRoles.set(`${kindOf(r.object)}/${str((r.object.metadata as Record<string, unknown>)?.name)}`, r.object)
  }
  const change = (
    resource: LocatedResource,
    messageId: string,
    message: string,
    path: string,
    severity: WeakeningChange['severity'] = 'high',
  ): void => {
    changes.push({ messageId, message, severity, resource, side: 'head', path })
  }

  for (const { base, head } of pairs) {
    const kind = kindOf(head.object)
    if (ROLE_KINDS.has(kind)) {
      const before = permissions(base.object)
      const gained = [...permissions(head.object)].filter((p) => !covered(p, before))
      const wildcards = gained.filter((p) => p.split('|').slice(0, 3).includes('*'))
      if (wildcards.length > 0)
        change(
          head,
          'rbacWildcard',
          `${describe(head)} now grants wildcard permissions: ${wildcards.slice(0, 5).map(pretty).join(', ')}`,
          '/rules',
          'critical',
        )
      const other = gained.filter((p) => !wildcards.includes(p))
      if (other.length > 0)
        change(
          head,
          'rbacWidened',
          `${describe(head)} grants new permissions: ${other.slice(0, 8).map(pretty).join(', ')}${other.length > 8 ? `, and ${other.length - 8} more` : ''}`,
          '/rules',
        )
      if (
        kind === 'ClusterRole' &&
        JSON.stringify(base.object.aggregationRule ?? null) !== JSON.stringify(head.object.aggregationRule ?? null) &&
        head.object.aggregationRule !== undefined
      ) {
        change(
          head,
          'rbacAggregationChanged',
          `${describe(head)} aggregates other roles by new selectors`,
          '/aggregationRule',
        )
      }
    }
    if (BINDING_KINDS.has(kind)) bindingChanges(base.object, head, headRoles, change)
  }
  for (const r of added) {
    const kind = kindOf(r.object)
    if (ROLE_KINDS.has(kind)) {
      const sensitive = [...permissions(r.object)].filter(isSensitive)
      if (sensitive.length > 0)
        change(
          r,
          'rbacPowerfulRoleAdded',
          `new ${describe(r)} grants sensitive permissions: ${sensitive.slice(0, 6).map(pretty).join(', ')}`,
          '/rules',
        )
    }
    if (BINDING_KINDS.has(kind)) bindingChanges(undefined, r, headRoles, change)
  }
  return changes
}

function bindingChanges(
  base: KubeObject | undefined,
  head: LocatedResource,
  roles: ReadonlyMap<string, KubeObject>,
  change: (
    r: LocatedResource,
    id: string,
    message: string,
    path: string,
    severity?: WeakeningChange['severity'],
  ) => void,
): void {
  const roleRef = isRecord(head.object.roleRef) ? head.object.roleRef : {}
  const roleName = str(roleRef.name) ?? ''
  const roleKind = str(roleRef.kind) ?? 'ClusterRole'
  const role = roles.get(`${roleKind}/${roleName}`)
  const powerful = POWERFUL_ROLES.has(roleName) || (role !== undefined && isPowerfulRole(role))
  const key = (s: unknown): string => (isRecord(s) ? `${str(s.kind)}|${str(s.namespace) ?? ''}|${str(s.name)}` : '')
  const sameRole = base !== undefined && JSON.stringify(base.roleRef) === JSON.stringify(head.object.roleRef)
  const before = new Set(sameRole ? list(base?.subjects).map(key) : [])
  list(head.object.subjects).forEach((subject, i) => {
    if (!isRecord(subject) || before.has(key(subject))) return
    const who = `${str(subject.kind)} ${str(subject.namespace) ? `${str(subject.namespace)}/` : ''}${str(subject.name)}`
    if (EVERYONE.has(str(subject.name) ?? '')) {
      change(
        head,
        'rbacBindingToEveryone',
        `${describe(head)} binds ${roleKind} ${roleName} to ${who}, which is everyone`,
        `/subjects/${i}`,
        'critical',
      )
    } else if (powerful) {
      change(
        head,
        'rbacPowerfulBinding',
        `${describe(head)} binds the powerful ${roleKind} ${roleName} to ${who}`,
        `/subjects/${i}`,
      )
    }
  })
}
