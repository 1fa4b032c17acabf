/**
 * CEL building blocks for RBAC policies, with Kubernetes' own matching rules: `*`
 * matches every verb, group and resource, and `*` + `/sub` matches that subresource of
 * every resource. Policies stay CEL so that they export to ValidatingAdmissionPolicy.
 */

/** Roles and ClusterRoles. */
export const ROLE_KINDS: readonly string[] = ['rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/ClusterRole']

/** RoleBindings and ClusterRoleBindings. */
export const BINDING_KINDS: readonly string[] = [
  'rbac.authorization.k8s.io/RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
]

const list = (values: readonly string[]): string => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`

/** The rule entries that grant a resource (`pods`, `pods/exec`). */
function resourceForms(resource: string): string[] {
  const slash = resource.indexOf('/')
  return slash < 0 ? ['*', resource] : ['*', resource, `*${resource.slice(slash)}`]
}

/**
 * CEL that is true when the policy rule bound to `r` grants any of the verbs on any of
 * the resources in any of the API groups.
 *
 * @example celGrants([''], ['secrets'], ['get', 'list', 'watch'])
 */
export function celGrants(
  groups: readonly string[],
  resources: readonly string[],
  verbs: readonly string[],
  r = 'r',
): string {
  return [
    `${r}.?apiGroups.orValue([]).exists(g, g in ${list(['*', ...groups])})`,
    `${r}.?resources.orValue([]).exists(x, x in ${list([...new Set(resources.flatMap(resourceForms))])})`,
    `${r}.?verbs.orValue([]).exists(v, v in ${list(['*', ...verbs])})`,
  ].join(' && ')
}

/** CEL that is true when the rule is limited to named objects (resourceNames). */
export function celNamed(r = 'r'): string {
  return `size(${r}.?resourceNames.orValue([])) > 0`
}

/** CEL for the verbs of the rule that match, joined for a message. */
export function celMatchingVerbs(verbs: readonly string[], r = 'r'): string {
  return `${r}.?verbs.orValue([]).filter(v, v in ${list(['*', ...verbs])}).join(', ')`
}
