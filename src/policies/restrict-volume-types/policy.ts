import { PSS_ALLOWED_VOLUMES, PSS_RESTRICTED_VOLUMES } from '../../core/index.js'
import type { NativeViolation } from '../../engine/index.js'
import { definePssPolicy, isSet, obj, specOf } from '../pod-security-standards/index.js'

export default definePssPolicy({
  id: 'restrict-volume-types',
  title: 'Pods may use only ephemeral, projected and claim-backed volumes',
  summary:
    'Allow only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes.',
  rationale:
    'In-tree volume types such as hostPath, nfs, iscsi or rbd let the pod spec name storage directly, bypassing the PersistentVolume review and exposing node or network storage the workload was never granted.',
  remediation:
    'Provision the storage as a PersistentVolume and mount it through a PersistentVolumeClaim, or use a CSI driver.',
  severity: 'medium',
  pss: { level: 'restricted', check: 'restrictedVolumes', since: 0 },
  controls: [
    { framework: 'cis', control: '5.2.12' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'CM-7' },
  ],
  messages: {
    restricted: 'Volume "{{name}}" uses the restricted volume type {{type}}.',
  },
  run: (pod) => {
    const volumes = specOf(pod).volumes
    const out: NativeViolation[] = []
    if (!Array.isArray(volumes)) return out
    volumes.forEach((item, i) => {
      const volume = obj(item)
      if (!volume || PSS_ALLOWED_VOLUMES.some((k) => isSet(volume[k]))) return
      const type = PSS_RESTRICTED_VOLUMES.find((k) => isSet(volume[k]))
      if (type)
        out.push({ messageId: 'restricted', path: `/spec/volumes/${i}/${type}`, data: { name: volume.name, type } })
    })
    return out
  },
})
