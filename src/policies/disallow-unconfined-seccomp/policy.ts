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

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod'
const CONTAINER_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/'

const validAnnotation = (v: unknown): boolean =>
  v === 'runtime/default' || v === 'docker/default' || (typeof v === 'string' && v.startsWith('localhost/'))
const validType = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost'

export default definePssPolicy({
  id: 'disallow-unconfined-seccomp',
  title: 'Pods must not turn seccomp off',
  summary:
    'Forbid seccomp profiles other than RuntimeDefault and Localhost where one is set (annotations before policy v1.19, fields from v1.19).',
  rationale:
    'Seccomp filters the system calls a container may make; an Unconfined profile exposes the whole kernel interface, including the calls behind most container-escape exploits.',
  remediation:
    'Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a profile on the nodes), or remove the Unconfined setting.',
  severity: 'high',
  pss: { level: 'baseline', check: 'seccompProfile_baseline', since: 0 },
  controls: [
    { framework: 'cis', control: '5.7.2' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.8' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'CM-7' },
    { framework: 'nist', control: 'SC-39' },
  ],
  messages: {
    annotation: 'Annotation {{key}} sets the forbidden seccomp profile "{{value}}".',
    podType:
      'Pod sets securityContext.seccompProfile.type to "{{type}}"; only RuntimeDefault and Localhost are allowed.',
    containerType:
      'Container "{{name}}" sets securityContext.seccompProfile.type to "{{type}}"; only RuntimeDefault and Localhost are allowed.',
  },
  run: (pod, minor) => {
    const out: NativeViolation[] = []
    if (minor < 19) {
      const annotations = annotationsOf(pod)
      const inspect = (key: string): void => {
        if (Object.hasOwn(annotations, key) && !validAnnotation(annotations[key])) {
          out.push({
            messageId: 'annotation',
            path: `/metadata/annotations/${escapePointerToken(key)}`,
            data: { key, value: annotations[key] },
          })
        }
      }
      inspect(POD_ANNOTATION)
      for (const c of containersOf(pod)) inspect(CONTAINER_ANNOTATION + c.name)
      return out
    }
    const podProfile = podSecurityContext(pod).seccompProfile
    if (isSet(podProfile) && !validType(obj(podProfile)?.type)) {
      out.push({
        messageId: 'podType',
        path: '/spec/securityContext/seccompProfile/type',
        data: { type: obj(podProfile)?.type ?? '' },
      })
    }
    for (const c of containersOf(pod)) {
      const profile = c.securityContext.seccompProfile
      if (isSet(profile) && !validType(obj(profile)?.type)) {
        out.push({
          messageId: 'containerType',
          path: `${c.pointer}/securityContext/seccompProfile/type`,
          data: { name: c.name, type: obj(profile)?.type ?? '' },
        })
      }
    }
    return out
  },
})
