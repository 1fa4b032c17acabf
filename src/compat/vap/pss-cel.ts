import { PSS_ALLOWED_VOLUMES, PSS_BASELINE_CAPABILITIES, PSS_RESTRICTED_VOLUMES } from '../../core/index.js'

/**
 * The Pod Security Standards checks (latest policy version) as CEL for ValidatingAdmissionPolicies.
 * Each entry is one validation over the `podSpec` / `podMetadata` variables the export defines
 * for pod-template coverage, plus `containers` (init, regular and ephemeral) and `podSc` (the
 * pod securityContext). Written from the Pod Security Standards, checked against Pod Security
 * Admission's fixtures by export-pss.test.ts; a field set to null counts as unset, as in Go.
 */

/** Variables every exported PSS policy adds after podSpec and podMetadata. */
export const PSS_VARIABLES: readonly { name: string; expression: string }[] = [
  {
    name: 'containers',
    expression:
      'variables.podSpec.?initContainers.orValue([]) + variables.podSpec.?containers.orValue([]) + variables.podSpec.?ephemeralContainers.orValue([])',
  },
  { name: 'podSc', expression: 'variables.podSpec.?securityContext.orValue({})' },
]

const list = (values: readonly string[]): string => `[${values.map((v) => `'${v}'`).join(', ')}]`
/** The value of an optional chain, null when absent. */
const opt = (chain: string): string => `${chain}.orValue(null)`
const unsetOr = (chain: string, test: (v: string) => string): string => `(${opt(chain)} == null || ${test(opt(chain))})`
const sc = (c: string): string => `${c}.?securityContext`
const windows = "variables.podSpec.?os.?name.orValue('') == 'windows'"
const userNamespace = 'variables.podSpec.?hostUsers.orValue(true) == false'

const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]
const HANDLERS = [
  'c.?livenessProbe',
  'c.?readinessProbe',
  'c.?startupProbe',
  'c.?lifecycle.?postStart',
  'c.?lifecycle.?preStop',
]

const noHostProcess = (s: string): string => `${opt(`${s}.?windowsOptions.?hostProcess`)} != true`
const seccompValid = (profile: string): string => `${profile}.?type.orValue('') in ['RuntimeDefault', 'Localhost']`
const podSeccompValid = `(${opt('variables.podSc.?seccompProfile')} != null && ${seccompValid('variables.podSc.seccompProfile')})`
const seLinuxOk = (options: string): string =>
  `(${opt(options)} == null || ((${opt(`${options}.?type`)} == null || ${opt(`${options}.?type`)} in ${list(SELINUX_TYPES)}) && [${opt(`${options}.?user`)}, ${opt(`${options}.?role`)}].all(v, v == null || v == '')))`
const procMountDefault = (c: string): string => unsetOr(`${sc(c)}.?procMount`, (v) => `${v} == 'Default'`)

/** The CEL validation of each built-in PSS policy, by policy id. */
export const PSS_CEL: Readonly<Record<string, string>> = {
  'disallow-privileged-containers': `variables.containers.all(c, ${opt(`${sc('c')}.?privileged`)} != true)`,
  'disallow-host-namespaces': ['hostNetwork', 'hostPID', 'hostIPC']
    .map((f) => `${opt(`variables.podSpec.?${f}`)} != true`)
    .join(' && '),
  'disallow-host-path-volumes': `variables.podSpec.?volumes.orValue([]).all(v, ${opt('v.?hostPath')} == null)`,
  'disallow-host-ports': `variables.containers.all(c, c.?ports.orValue([]).all(p, ${unsetOr('p.?hostPort', (v) => `${v} == 0`)}))`,
  'restrict-added-capabilities': `variables.containers.all(c, ${sc('c')}.?capabilities.?add.orValue([]).all(a, a in ${list(PSS_BASELINE_CAPABILITIES)}))`,
  'restrict-apparmor-profiles': [
    `variables.podMetadata.?annotations.orValue({}).all(k, !k.startsWith('container.apparmor.security.beta.kubernetes.io/') || variables.podMetadata.annotations[k] == '' || variables.podMetadata.annotations[k] == 'runtime/default' || variables.podMetadata.annotations[k].startsWith('localhost/'))`,
    unsetOr('variables.podSc.?appArmorProfile', (v) => `${v}.?type.orValue('') in ['RuntimeDefault', 'Localhost']`),
    `variables.containers.all(c, ${unsetOr(`${sc('c')}.?appArmorProfile`, (v) => `${v}.?type.orValue('') in ['RuntimeDefault', 'Localhost']`)})`,
  ].join(' && '),
  'restrict-selinux-options': `${seLinuxOk('variables.podSc.?seLinuxOptions')} && variables.containers.all(c, ${seLinuxOk(`${sc('c')}.?seLinuxOptions`)})`,
  'disallow-unmasked-proc-mount': `${userNamespace} || variables.containers.all(c, ${procMountDefault('c')})`,
  'disallow-unconfined-seccomp': `${unsetOr('variables.podSc.?seccompProfile', seccompValid)} && variables.containers.all(c, ${unsetOr(`${sc('c')}.?seccompProfile`, seccompValid)})`,
  'restrict-sysctls': `variables.podSc.?sysctls.orValue([]).all(s, s.?name.orValue('') in ${list(SAFE_SYSCTLS)})`,
  'disallow-windows-host-process': `${noHostProcess('variables.podSc')} && variables.containers.all(c, ${noHostProcess(sc('c'))})`,
  'disallow-probe-and-lifecycle-hosts': `variables.containers.all(c, [${HANDLERS.map(opt).join(', ')}].all(h, h == null || (${opt('h.?httpGet.?host')} == null || ${opt('h.?httpGet.?host')} == '') && (${opt('h.?tcpSocket.?host')} == null || ${opt('h.?tcpSocket.?host')} == '')))`,
  'restrict-volume-types': `variables.podSpec.?volumes.orValue([]).all(v, ${PSS_ALLOWED_VOLUMES.map((k) => `${opt(`v.?${k}`)} != null`).join(' || ')} || !(${PSS_RESTRICTED_VOLUMES.map((k) => `${opt(`v.?${k}`)} != null`).join(' || ')}))`,
  'require-run-as-non-root': `${userNamespace} || (${opt('variables.podSc.?runAsNonRoot')} != false && variables.containers.all(c, ${opt(`${sc('c')}.?runAsNonRoot`)} == true || (${opt(`${sc('c')}.?runAsNonRoot`)} != false && ${opt('variables.podSc.?runAsNonRoot')} == true)))`,
  'disallow-privilege-escalation': `${windows} || variables.containers.all(c, ${opt(`${sc('c')}.?allowPrivilegeEscalation`)} == false)`,
  'require-seccomp-profile': `${windows} || (${unsetOr('variables.podSc.?seccompProfile', seccompValid)} && variables.containers.all(c, ${opt(`${sc('c')}.?seccompProfile`)} == null ? ${podSeccompValid} : ${seccompValid(`c.securityContext.seccompProfile`)}))`,
  'require-drop-all-capabilities': `${windows} || variables.containers.all(c, 'ALL' in ${sc('c')}.?capabilities.?drop.orValue([]) && ${sc('c')}.?capabilities.?add.orValue([]).all(a, a == 'NET_BIND_SERVICE'))`,
  'disallow-run-as-root-user': `${userNamespace} || (${opt('variables.podSc.?runAsUser')} != 0 && variables.containers.all(c, ${opt(`${sc('c')}.?runAsUser`)} != 0))`,
  'require-default-proc-mount': `variables.containers.all(c, ${procMountDefault('c')})`,
}
