import type { NativeViolation } from '../../engine/index.js'
import {
  containersOf,
  definePssPolicy,
  isSet,
  isWindowsPod,
  obj,
  podSecurityContext,
} from '../pod-security-standards/index.js'

const validType = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost'

export default definePssPolicy({
  id: 'require-seccomp-profile',
  title: 'Pods must run with a RuntimeDefault or Localhost seccomp profile',
  summary:
    'Require seccompProfile.type RuntimeDefault or Localhost on the pod or on every container (policy v1.19 and later; Windows pods exempt from v1.25).',
  rationale:
    'Without a seccomp profile the container runtime may run the workload unconfined, exposing every system call, including the rarely used ones behind most kernel container escapes.',
  remediation:
    'Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod (or Localhost with a profile present on the nodes).',
  severity: 'medium',
  pss: { level: 'restricted', check: 'seccompProfile_restricted', since: 19 },
  controls: [
    { framework: 'cis', control: '5.7.2' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.8' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'CM-7' },
    { framework: 'nist', control: 'SC-39' },
  ],
  messages: {
    podType: 'Pod sets securityContext.seccompProfile.type to "{{type}}"; use RuntimeDefault or Localhost.',
    containerType:
      'Container "{{name}}" sets securityContext.seccompProfile.type to "{{type}}"; use RuntimeDefault or Localhost.',
    missing:
      'Container "{{name}}" has no seccomp profile: neither it nor the pod sets securityContext.seccompProfile.type.',
  },
  run: (pod, minor) => {
    if (minor >= 25 && isWindowsPod(pod)) return []
    const out: NativeViolation[] = []
    const podProfile = podSecurityContext(pod).seccompProfile
    let podSet = false
    if (isSet(podProfile)) {
      if (validType(obj(podProfile)?.type)) podSet = true
      else
        out.push({
          messageId: 'podType',
          path: '/spec/securityContext/seccompProfile/type',
          data: { type: obj(podProfile)?.type ?? '' },
        })
    }
    // One pod-level RuntimeDefault fixes every container at once: offer it on the first container only.
    let fixOffered = isSet(podProfile)
    for (const c of containersOf(pod)) {
      const profile = c.securityContext.seccompProfile
      if (isSet(profile)) {
        if (!validType(obj(profile)?.type))
          out.push({
            messageId: 'containerType',
            path: `${c.pointer}/securityContext/seccompProfile/type`,
            data: { name: c.name, type: obj(profile)?.type ?? '' },
          })
      } else if (!podSet) {
        const violation: NativeViolation = { messageId: 'missing', path: c.pointer, data: { name: c.name } }
        if (!fixOffered)
          violation.fix = {
            safety: 'unsafe',
            patch: [{ op: 'add', path: '/spec/securityContext/seccompProfile', value: { type: 'RuntimeDefault' } }],
          }
        fixOffered = true
        out.push(violation)
      }
    }
    return out
  },
})
