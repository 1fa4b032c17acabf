/**
 * Which Palisade policies answer each check of Polaris, kube-score and kubesec. A check
 * maps to the policies whose findings mean "this check fails"; `paths` narrows a policy
 * to the findings about the same field when the policy covers more than the check.
 */

/** One of our policies standing in for another scanner's check. */
export interface OurCheck {
  policy: string
  params?: Readonly<Record<string, unknown>>
  /** Only findings whose JSON Pointer matches count. */
  paths?: RegExp
}

/** Another scanner's check and the Palisade policies that answer it. */
export type CheckMap = Readonly<Record<string, readonly OurCheck[]>>

const one = (policy: string, extra: Omit<OurCheck, 'policy'> = {}): OurCheck[] => [{ policy, ...extra }]

/** Polaris checks (pkg/config/checks) that one of ours answers. */
export const POLARIS: CheckMap = {
  automountServiceAccountToken: one('disallow-service-account-token-automount'),
  clusterrolePodExecAttach: one('restrict-pod-exec-access'),
  rolePodExecAttach: one('restrict-pod-exec-access'),
  clusterrolebindingClusterAdmin: one('disallow-cluster-admin-bindings'),
  rolebindingClusterAdminClusterRole: one('disallow-cluster-admin-bindings'),
  rolebindingClusterAdminRole: one('disallow-cluster-admin-bindings'),
  cpuLimitsMissing: one('require-resource-limits', { params: { cpu: true }, paths: /\/limits\/cpu$/ }),
  memoryLimitsMissing: one('require-resource-limits', { paths: /\/limits\/memory$/ }),
  cpuRequestsMissing: one('require-resource-requests', { paths: /\/requests\/cpu$/ }),
  memoryRequestsMissing: one('require-resource-requests', { paths: /\/requests\/memory$/ }),
  dangerousCapabilities: one('restrict-added-capabilities'),
  insecureCapabilities: one('require-drop-all-capabilities', { paths: /\/drop$/ }),
  hostIPCSet: one('disallow-host-namespaces', { paths: /\/hostIPC$/ }),
  hostPIDSet: one('disallow-host-namespaces', { paths: /\/hostPID$/ }),
  hostNetworkSet: one('disallow-host-namespaces', { paths: /\/hostNetwork$/ }),
  hostPathSet: one('disallow-host-path-volumes'),
  hostPortSet: one('disallow-host-ports'),
  hostProcess: one('disallow-windows-host-process'),
  linuxHardening: one('require-seccomp-profile'),
  livenessProbeMissing: one('require-liveness-probe'),
  readinessProbeMissing: one('require-readiness-probe'),
  missingNetworkPolicy: one('require-default-deny-network-policy', { params: { egress: true } }),
  notReadOnlyRootFilesystem: one('require-read-only-root-filesystem'),
  privilegeEscalationAllowed: one('disallow-privilege-escalation'),
  procMount: one('disallow-unmasked-proc-mount'),
  pullPolicyNotAlways: one('require-image-pull-policy-always'),
  runAsPrivileged: one('disallow-privileged-containers'),
  runAsRootAllowed: one('require-run-as-non-root'),
  sensitiveConfigmapContent: one('disallow-secrets-in-configmaps'),
  sensitiveContainerEnvVar: one('disallow-secrets-in-env-values'),
  tagNotSpecified: one('disallow-latest-image-tag'),
  tlsSettingsMissing: one('require-ingress-tls'),
}

/** kube-score checks (README_CHECKS.md ids) that one of ours answers. */
export const KUBE_SCORE: CheckMap = {
  'container-image-tag': one('disallow-latest-image-tag'),
  'container-image-pull-policy': one('require-image-pull-policy-always'),
  'container-resources': [
    { policy: 'require-resource-limits', params: { cpu: true } },
    { policy: 'require-resource-requests' },
  ],
  'container-security-context-privileged': one('disallow-privileged-containers'),
  'container-security-context-readonlyrootfilesystem': one('require-read-only-root-filesystem'),
  'container-security-context-user-group-id': one('require-high-uid-and-gid'),
  'container-seccomp-profile': one('require-seccomp-profile'),
  'container-ephemeral-storage-request-and-limit': one('require-ephemeral-storage-limits'),
  'pod-probes': [{ policy: 'require-readiness-probe' }, { policy: 'require-liveness-probe' }],
  'pod-networkpolicy': one('require-default-deny-network-policy', { params: { egress: true } }),
  'service-type': one('disallow-nodeport-services'),
}

/**
 * kubesec asserts only a fixture's total score (test/*.bats). Each fixture below exercises
 * one rule, named by its bats test; `fails` says whether that rule counts against the
 * fixture (a negative rule that fires, or a positive rule whose condition is not met).
 */
export const KUBESEC_CASES: readonly { fixture: string; rule: string; fails: boolean }[] = [
  { fixture: 'asset/score-0-cap-chown.yml', rule: 'CapDropAll', fails: true },
  { fixture: 'asset/score-0-cap-sys-admin-and-cap-chown.yml', rule: 'CapSysAdmin', fails: true },
  { fixture: 'asset/score-1-cap-drop-all.yml', rule: 'CapDropAll', fails: false },
  { fixture: 'asset/score-1-dep-ro-root-fs.yml', rule: 'ReadOnlyRootFilesystem', fails: false },
  { fixture: 'asset/score-1-dep-seccon-run-as-non-root.yml', rule: 'RunAsNonRoot', fails: false },
  { fixture: 'asset/score-1-dep-podseccon-run-as-user-1.yml', rule: 'RunAsUser', fails: true },
  { fixture: 'asset/score-1-dep-seccon-run-as-user-1.yml', rule: 'RunAsUser', fails: true },
  { fixture: 'asset/score-1-dep-podseccon-run-as-user-10001.yml', rule: 'RunAsUser', fails: false },
  { fixture: 'asset/score-1-dep-seccon-run-as-user-10001.yml', rule: 'RunAsUser', fails: false },
  { fixture: 'asset/score-1-dep-podseccon-run-as-group-1.yml', rule: 'RunAsGroup', fails: true },
  { fixture: 'asset/score-1-dep-seccon-run-as-group-1.yml', rule: 'RunAsGroup', fails: true },
  { fixture: 'asset/score-1-dep-seccon-run-as-group-10001.yml', rule: 'RunAsGroup', fails: false },
  { fixture: 'asset/score-1-dep-resource-limit-cpu.yml', rule: 'LimitsCPU', fails: false },
  { fixture: 'asset/score-0-daemonset-securitycontext-privileged.yml', rule: 'Privileged', fails: true },
  { fixture: 'asset/score-0-daemonset-mount-docker-socket.yml', rule: 'DockerSock', fails: true },
  { fixture: 'asset/score-0-daemonset-volume-host-docker-socket.yml', rule: 'DockerSock', fails: true },
  { fixture: 'asset/score-0-daemonset-host-pid.yml', rule: 'HostPID', fails: true },
  { fixture: 'asset/score-0-dep-apparmor-empty-securitycontext.yml', rule: 'ApparmorUnconfined', fails: false },
  {
    fixture: 'asset/score-1-dep-apparmor-nonunconfined-spec-securitycontext.yml',
    rule: 'ApparmorUnconfined',
    fails: false,
  },
  { fixture: 'asset/score-1-dep-apparmor-nonunconfined-container.yml', rule: 'ApparmorUnconfined', fails: false },
  { fixture: 'asset/score-1-dep-apparmor-nonunconfined-initcontainer.yml', rule: 'ApparmorUnconfined', fails: false },
  {
    fixture: 'asset/score-0-dep-apparmor-unconfined-spec-securitycontext.yml',
    rule: 'ApparmorUnconfined',
    fails: true,
  },
  { fixture: 'asset/score-0-dep-apparmor-unconfined-initcontainer.yml', rule: 'ApparmorUnconfined', fails: true },
  { fixture: 'asset/score-0-dep-apparmor-unconfined-ephemeralcontainer.yml', rule: 'ApparmorUnconfined', fails: true },
  { fixture: 'asset/score-0-dep-seccomp-empty-securitycontext.yml', rule: 'SeccompUnconfined', fails: false },
  { fixture: 'asset/score-0-dep-seccomp-unconfined-spec-securitycontext.yml', rule: 'SeccompUnconfined', fails: true },
  { fixture: 'asset/score-0-dep-seccomp-unconfined-container.yml', rule: 'SeccompUnconfined', fails: true },
  { fixture: 'asset/score-1-dep-seccomp-nonunconfined-container.yml', rule: 'SeccompUnconfined', fails: false },
  { fixture: 'asset/score-1-dep-seccomp-nonunconfined-initcontainer.yml', rule: 'SeccompUnconfined', fails: false },
  {
    fixture: 'asset/score-1-dep-seccomp-nonunconfined-ephemeralcontainer.yml',
    rule: 'SeccompUnconfined',
    fails: false,
  },
  { fixture: 'asset/score-2-dep-serviceaccount.yml', rule: 'ServiceAccountName', fails: false },
  { fixture: 'asset/score-2-pod-serviceaccount.yml', rule: 'ServiceAccountName', fails: false },
  { fixture: 'asset/allowPrivilegeEscalation.yaml', rule: 'AllowPrivilegeEscalation', fails: true },
  { fixture: 'asset/score-1-pod-automount-sa-set-to-false.yml', rule: 'AutomountServiceAccountToken', fails: false },
]

/** kubesec rules (pkg/ruler/ruleset.go) that one of ours answers. */
export const KUBESEC: CheckMap = {
  CapDropAll: one('require-drop-all-capabilities', { paths: /\/drop$/ }),
  CapSysAdmin: one('restrict-added-capabilities'),
  ReadOnlyRootFilesystem: one('require-read-only-root-filesystem'),
  RunAsNonRoot: one('require-run-as-non-root'),
  RunAsUser: one('require-high-uid-and-gid', { paths: /\/runAsUser$/ }),
  RunAsGroup: one('require-high-uid-and-gid', { paths: /\/runAsGroup$/ }),
  LimitsCPU: one('require-resource-limits', { params: { cpu: true }, paths: /\/limits\/cpu$/ }),
  Privileged: one('disallow-privileged-containers'),
  DockerSock: one('disallow-host-path-volumes'),
  HostPID: one('disallow-host-namespaces', { paths: /\/hostPID$/ }),
  HostIPC: one('disallow-host-namespaces', { paths: /\/hostIPC$/ }),
  HostNetwork: one('disallow-host-namespaces', { paths: /\/hostNetwork$/ }),
  ProcMount: one('disallow-host-path-volumes'),
  CapDropAny: one('require-drop-all-capabilities', { paths: /\/drop$/ }),
  LimitsMemory: one('require-resource-limits', { paths: /\/limits\/memory$/ }),
  RequestsCPU: one('require-resource-requests', { paths: /\/requests\/cpu$/ }),
  RequestsMemory: one('require-resource-requests', { paths: /\/requests\/memory$/ }),
  SeccompAny: one('require-seccomp-profile'),
  SecretsAsEnvironmentVariables: one('disallow-secrets-as-env-vars'),
  BindingsToSystemAnonymous: one('disallow-anonymous-bindings'),
  ApparmorUnconfined: one('restrict-apparmor-profiles'),
  SeccompUnconfined: one('disallow-unconfined-seccomp'),
  ServiceAccountName: one('disallow-default-service-account'),
  AllowPrivilegeEscalation: one('disallow-privilege-escalation'),
  AutomountServiceAccountToken: one('disallow-service-account-token-automount'),
}
