import type { FieldChange } from './diff.js'

/**
 * Fields whose change can weaken security (privileges, capabilities, host access, identity,
 * images, RBAC, network policy), each with the reason a drift report gives. A change to any
 * of them is security-relevant whatever its direction: telling a hardening from a weakening
 * needs the policies, and the policy comparison catches what these patterns miss.
 */
const SECURITY_FIELDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\/securityContext\/(privileged|allowPrivilegeEscalation)(\/|$)/, 'privilege'],
  [/\/securityContext\/capabilities(\/|$)/, 'capabilities'],
  [
    /\/securityContext\/(runAsNonRoot|runAsUser|runAsGroup|readOnlyRootFilesystem|seccompProfile|appArmorProfile|seLinuxOptions|procMount|sysctls)(\/|$)/,
    'security context',
  ],
  [/\/securityContext$/, 'security context'],
  [/\/(hostNetwork|hostPID|hostIPC|hostUsers)$/, 'host access'],
  [/\/volumes\/\d+\/hostPath(\/|$)|\/volumes(\/\d+)?$/, 'host access'],
  [/\/ports\/\d+\/hostPort$/, 'host access'],
  [/\/(containers|initContainers|ephemeralContainers)\/\d+\/image$/, 'image'],
  [/\/(containers|initContainers|ephemeralContainers)(\/\d+)?$/, 'containers'],
  [/\/(serviceAccountName|serviceAccount|automountServiceAccountToken)$/, 'identity'],
  [/^\/(rules|aggregationRule)(\/|$)/, 'RBAC rules'],
  [/^\/(subjects|roleRef)(\/|$)/, 'RBAC binding'],
]

/** Why a field change is security-relevant, or undefined when it is not (labels, replicas, ...). */
export function securityReason(change: FieldChange, kind: string): string | undefined {
  if (kind === 'NetworkPolicy' && change.path.startsWith('/spec')) return 'network policy'
  for (const [pattern, reason] of SECURITY_FIELDS) if (pattern.test(change.path)) return reason
  return undefined
}

/** Kinds whose mere presence or absence is security-relevant (RBAC grants, network isolation). */
export const SECURITY_KINDS: ReadonlySet<string> = new Set([
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'NetworkPolicy',
])
