import { isRecord, type KubeObject } from '../../core/index.js'
import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { groupOf, kindOf, nameOf, namespaceOf } from '../resource-index/index.js'
import { withFields } from '../resource-index/parts.js'

const RBAC = 'rbac.authorization.k8s.io'
const EVERY_VERB = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []

/** A rule that grants every verb (or all the read and write verbs) on every resource of every group. */
function adminEquivalent(role: KubeObject): boolean {
  const rules = Array.isArray(role.rules) ? role.rules : []
  return rules.some((rule) => {
    if (!isRecord(rule)) return false
    const verbs = strings(rule.verbs)
    return (
      strings(rule.apiGroups).includes('*') &&
      strings(rule.resources).includes('*') &&
      (verbs.includes('*') || EVERY_VERB.every((v) => verbs.includes(v)))
    )
  })
}

export default definePolicy({
  id: 'disallow-cluster-admin-bindings',
  title: 'Bindings must not grant cluster-admin or an equivalent role',
  summary:
    'Forbid bindings to the cluster-admin ClusterRole, or to a role in the scan that grants every verb on every resource.',
  rationale:
    'cluster-admin is every permission on every resource, Secrets and RBAC included. Each subject a ClusterRoleBinding binds to it, or to a home-made role with the same wildcards, is a full cluster compromise waiting for one leaked credential. A RoleBinding grants the same rules within its namespace only: every Secret, workload and Role there, and through them whatever those can reach.',
  remediation:
    'Bind a role with the permissions the subject needs; keep cluster-admin to break-glass access outside Git, granted for a limited time.',
  severity: 'critical',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.1' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-6(5)' },
  ],
  messages: {
    clusterAdmin: '{{kind}} "{{name}}" binds the cluster-admin ClusterRole.',
    clusterAdminInNamespace:
      '{{kind}} "{{name}}" grants the rules of the cluster-admin ClusterRole within namespace "{{namespace}}": every verb on every resource there, Secrets and Roles included.',
    adminEquivalent:
      '{{kind}} "{{name}}" binds {{roleKind}} "{{role}}", which grants every verb on every resource, as cluster-admin does.',
    adminEquivalentInNamespace:
      '{{kind}} "{{name}}" binds {{roleKind}} "{{role}}", which grants every verb on every resource within namespace "{{namespace}}".',
  },
  match: { kinds: [`${RBAC}/RoleBinding`, `${RBAC}/ClusterRoleBinding`, `${RBAC}/Role`, `${RBAC}/ClusterRole`] },
  // Cross-resource: the role a binding names may be defined in the same scan.
  // What checkAll reads: roles' rules and bindings' roleRef.
  reads: (o) =>
    groupOf(o) !== RBAC
      ? undefined
      : kindOf(o) === 'Role' || kindOf(o) === 'ClusterRole'
        ? withFields(o, ['rules'])
        : kindOf(o) === 'RoleBinding' || kindOf(o) === 'ClusterRoleBinding'
          ? withFields(o, ['roleRef'])
          : undefined,
  headerRole: (h) =>
    groupOf(h) === RBAC && ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(kindOf(h))
      ? 'part'
      : 'none',
  checkAll: (objects) => {
    const admins = new Set<string>()
    for (const o of objects) {
      if (groupOf(o) !== RBAC || !adminEquivalent(o)) continue
      if (kindOf(o) === 'ClusterRole') admins.add(`ClusterRole/${nameOf(o)}`)
      if (kindOf(o) === 'Role') admins.add(`Role/${namespaceOf(o) ?? ''}/${nameOf(o)}`)
    }
    const out: (NativeViolation & { index: number })[] = []
    objects.forEach((o, index) => {
      const kind = kindOf(o)
      if (groupOf(o) !== RBAC || (kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') || !isRecord(o.roleRef))
        return
      const roleKind = o.roleRef.kind
      const role = typeof o.roleRef.name === 'string' ? o.roleRef.name : ''
      const namespaced = kind === 'RoleBinding'
      const data = { kind, name: nameOf(o), roleKind, role, namespace: namespaceOf(o) ?? 'default' }
      // A RoleBinding grants a ClusterRole's rules in its own namespace only: say so, not "cluster".
      if (roleKind === 'ClusterRole' && role === 'cluster-admin')
        out.push({
          index,
          messageId: namespaced ? 'clusterAdminInNamespace' : 'clusterAdmin',
          path: '/roleRef/name',
          data,
        })
      else if (admins.has(roleKind === 'Role' ? `Role/${namespaceOf(o) ?? ''}/${role}` : `ClusterRole/${role}`))
        out.push({
          index,
          messageId: namespaced ? 'adminEquivalentInNamespace' : 'adminEquivalent',
          path: '/roleRef/name',
          data,
        })
    })
    return out
  },
})
