import { isRecord, type KubeObject } from '../../core/index.js'
import { podTemplateTarget } from '../../engine/index.js'
import { describe } from './pairing.js'
import { kindOf, list, str, strings, type Detector, type WeakeningChange } from './types.js'

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const
type Rec = Record<string, unknown>
const rec = (v: unknown): Rec => (isRecord(v) ? v : {})

interface Effective {
  privileged: boolean
  allowPrivilegeEscalation: boolean
  runAsNonRoot: boolean
  rootUser: boolean
  readOnlyRootFilesystem: boolean
  seccomp: string
  procMount: string
  added: string[]
  dropped: string[]
}

/** The security settings a container actually runs with: its own securityContext over the pod's. */
function effective(container: Rec, pod: Rec): Effective {
  const c = rec(container.securityContext)
  const p = rec(pod.securityContext)
  const caps = rec(c.capabilities)
  const pick = <T>(field: string, fallback: T): T =>
    c[field] !== undefined ? (c[field] as T) : p[field] !== undefined ? (p[field] as T) : fallback
  return {
    privileged: c.privileged === true,
    // Unset means allowed: Linux lets a process gain privileges unless no_new_privs is set.
    allowPrivilegeEscalation: c.allowPrivilegeEscalation !== false,
    runAsNonRoot: pick<unknown>('runAsNonRoot', false) === true,
    rootUser: pick<unknown>('runAsUser', undefined) === 0,
    readOnlyRootFilesystem: c.readOnlyRootFilesystem === true,
    seccomp: str(rec(pick<unknown>('seccompProfile', undefined)).type) ?? 'unset',
    procMount: str(c.procMount) ?? 'Default',
    added: strings(caps.add).map((x) => x.toUpperCase()),
    dropped: strings(caps.drop).map((x) => x.toUpperCase()),
  }
}

function containers(spec: Rec): Map<string, { container: Rec; pointer: string }> {
  const out = new Map<string, { container: Rec; pointer: string }>()
  for (const field of CONTAINER_LISTS) {
    list(spec[field]).forEach((c, i) => {
      if (isRecord(c) && typeof c.name === 'string') out.set(c.name, { container: c, pointer: `/spec/${field}/${i}` })
    })
  }
  return out
}

function podOf(object: KubeObject): { spec: Rec; prefix: string } | undefined {
  if (kindOf(object) === 'Pod') return { spec: rec(object.spec), prefix: '' }
  const target = podTemplateTarget(object)
  return target ? { spec: rec(target.object.spec), prefix: target.prefix } : undefined
}

/**
 * securityContext weakened in a Pod or a workload's pod template, container by container
 * (matched by name): privileged turned on, privilege escalation allowed, runAsNonRoot
 * dropped, run as UID 0, root filesystem made writable, seccomp made Unconfined or unset,
 * /proc unmasked, capabilities added, capability drops removed; and at pod level, host
 * namespaces (network, PID, IPC) turned on.
 */
export const detectSecurityContext: Detector = (pairs) => {
  const changes: WeakeningChange[] = []
  for (const { base, head } of pairs) {
    const before = podOf(base.object)
    const after = podOf(head.object)
    if (!before || !after) continue
    const add = (path: string, what: string, severity: WeakeningChange['severity'] = 'high'): void => {
      changes.push({
        messageId: 'securityContextWeakened',
        message: `${describe(head)}: ${what}`,
        severity,
        resource: head,
        side: 'head',
        path: after.prefix + path,
      })
    }
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
      if (after.spec[field] === true && before.spec[field] !== true) add(`/spec/${field}`, `${field} turned on`)
    }
    const old = containers(before.spec)
    for (const [name, { container, pointer }] of containers(after.spec)) {
      const was = old.get(name)
      if (!was) continue
      const a = effective(was.container, before.spec)
      const b = effective(container, after.spec)
      const sc = `${pointer}/securityContext`
      const who = `container "${name}"`
      if (!a.privileged && b.privileged) add(`${sc}/privileged`, `${who} is now privileged`, 'critical')
      if (!a.allowPrivilegeEscalation && b.allowPrivilegeEscalation)
        add(`${sc}/allowPrivilegeEscalation`, `${who} now allows privilege escalation`)
      if (a.runAsNonRoot && !b.runAsNonRoot) add(`${sc}/runAsNonRoot`, `${who} no longer requires runAsNonRoot`)
      if (!a.rootUser && b.rootUser) add(`${sc}/runAsUser`, `${who} now runs as UID 0 (root)`)
      if (a.readOnlyRootFilesystem && !b.readOnlyRootFilesystem)
        add(`${sc}/readOnlyRootFilesystem`, `${who} now has a writable root filesystem`, 'medium')
      if (a.seccomp !== 'Unconfined' && a.seccomp !== 'unset' && (b.seccomp === 'Unconfined' || b.seccomp === 'unset'))
        add(`${sc}/seccompProfile`, `${who} seccomp profile changed from ${a.seccomp} to ${b.seccomp}`)
      if (a.procMount !== 'Unmasked' && b.procMount === 'Unmasked')
        add(`${sc}/procMount`, `${who} now mounts /proc unmasked`)
      const newCaps = b.added.filter((c) => !a.added.includes(c))
      if (newCaps.length > 0) add(`${sc}/capabilities/add`, `${who} adds capabilities ${newCaps.join(', ')}`)
      const lostDrops = a.dropped.filter((c) => !b.dropped.includes(c))
      if (lostDrops.length > 0) add(`${sc}/capabilities/drop`, `${who} no longer drops ${lostDrops.join(', ')}`)
    }
  }
  return changes
}
