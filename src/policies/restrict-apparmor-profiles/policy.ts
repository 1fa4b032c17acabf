import { escapePointerToken } from '../../core/index.js'
import type { NativeViolation } from '../../engine/index.js'
import {
  annotationsOf,
  containersOf,
  definePssPolicy,
  isSet,
  obj,
  podSecurityContext,
} from '../pod-security-standards/index.js'

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/'

/** Annotation values baseline accepts: unset/empty, the runtime default, or a profile loaded on the node. */
const allowedAnnotation = (value: unknown): boolean =>
  typeof value === 'string' && (value === '' || value === 'runtime/default' || value.startsWith('localhost/'))

/** Field types baseline accepts; anything else (Unconfined) is refused. */
const allowedType = (type: unknown): boolean => type === 'RuntimeDefault' || type === 'Localhost'

export default definePssPolicy({
  id: 'restrict-apparmor-profiles',
  title: 'Pods must not disable or override AppArmor',
  summary:
    'Allow AppArmor profiles only of type RuntimeDefault or Localhost, in the appArmorProfile fields and in the beta annotations.',
  rationale:
    'The runtime default AppArmor profile blocks writes to /proc and /sys, mounts and raw sockets; an Unconfined profile removes that layer, so a compromised process meets one fewer barrier on its way to the host.',
  remediation:
    'Remove appArmorProfile (the runtime default applies) or set type: RuntimeDefault, or Localhost with a profile loaded on the nodes; drop annotations set to unconfined.',
  severity: 'high',
  pss: { level: 'baseline', check: 'appArmorProfile', since: 0 },
  controls: [
    { framework: 'cis', control: '5.7.3' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.8' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'CM-6' },
    { framework: 'nist', control: 'SC-39' },
  ],
  messages: {
    annotation: 'Annotation {{key}} sets the forbidden AppArmor profile "{{value}}".',
    podType:
      'Pod sets securityContext.appArmorProfile.type to "{{type}}"; only RuntimeDefault and Localhost are allowed.',
    containerType:
      'Container "{{name}}" sets securityContext.appArmorProfile.type to "{{type}}"; only RuntimeDefault and Localhost are allowed.',
  },
  run: (pod) => {
    const out: NativeViolation[] = []
    for (const [key, value] of Object.entries(annotationsOf(pod))) {
      if (key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(value)) {
        out.push({
          messageId: 'annotation',
          path: `/metadata/annotations/${escapePointerToken(key)}`,
          data: { key, value },
        })
      }
    }
    const podProfile = podSecurityContext(pod).appArmorProfile
    if (isSet(podProfile) && !allowedType(obj(podProfile)?.type)) {
      out.push({
        messageId: 'podType',
        path: '/spec/securityContext/appArmorProfile/type',
        data: { type: obj(podProfile)?.type ?? '' },
      })
    }
    for (const c of containersOf(pod)) {
      const profile = c.securityContext.appArmorProfile
      if (isSet(profile) && !allowedType(obj(profile)?.type)) {
        out.push({
          messageId: 'containerType',
          path: `${c.pointer}/securityContext/appArmorProfile/type`,
          data: { name: c.name, type: obj(profile)?.type ?? '' },
        })
      }
    }
    return out
  },
})
