import type { NativeViolation } from '../../engine/index.js'
import { definePssPolicy, isSet, obj, specOf } from '../pod-security-standards/index.js'

export default definePssPolicy({
  id: 'disallow-host-path-volumes',
  title: 'Pods must not mount hostPath volumes',
  summary: 'Forbid volumes of type hostPath.',
  rationale:
    'A hostPath volume exposes the node file system to the container: the kubelet credentials, the container runtime socket or /etc are one mount away from a node takeover.',
  remediation: 'Use an emptyDir, a PersistentVolumeClaim, a ConfigMap or a CSI volume instead of hostPath.',
  severity: 'high',
  pss: { level: 'baseline', check: 'hostPathVolumes', since: 0 },
  controls: [
    { framework: 'cis', control: '5.2.12' },
    { framework: 'nsa', control: 'pod-security/privileged' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'SC-39' },
  ],
  messages: {
    hostPath: 'Volume "{{name}}" mounts the host path {{path}}.',
  },
  run: (pod) => {
    const volumes = specOf(pod).volumes
    const out: NativeViolation[] = []
    if (!Array.isArray(volumes)) return out
    volumes.forEach((item, i) => {
      const volume = obj(item)
      if (!volume || !isSet(volume.hostPath)) return
      const path = obj(volume.hostPath)?.path
      out.push({
        messageId: 'hostPath',
        path: `/spec/volumes/${i}/hostPath`,
        data: { name: volume.name, path: typeof path === 'string' ? path : '(no path)' },
      })
    })
    return out
  },
})
