import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { parseImageReference, qualifiedImageName } from '../image-reference/index.js'
import { containersOf } from '../pod-security-standards/index.js'

export default definePolicy({
  id: 'disallow-deprecated-image-registries',
  title: 'Images must not come from frozen or shut-down registries',
  summary:
    'Forbid images from registries that no longer receive updates (k8s.gcr.io and the old gcr.io/google_containers paths by default).',
  rationale:
    'A frozen registry never gets a patched image again: workloads pulling from it keep every vulnerability found since the freeze, and break outright when the registry is switched off.',
  remediation: 'Move to the maintained registry (registry.k8s.io for Kubernetes project images) and a current tag.',
  severity: 'medium',
  category: 'images',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'upgrading/configuration' },
    { framework: 'nsa', control: 'pod-security/secure-images' },
    { framework: 'soc2', control: 'CC7.1' },
    { framework: 'pci', control: '6.3.3' },
    { framework: 'nist', control: 'SI-2' },
    { framework: 'nist', control: 'RA-5' },
  ],
  params: {
    deprecated: {
      description: 'Qualified image name prefixes of frozen registries.',
      default: ['k8s.gcr.io/', 'gcr.io/google_containers/', 'gcr.io/google-containers/'],
    },
  },
  messages: {
    deprecated: 'Container "{{name}}" uses image {{image}} from the frozen registry {{prefix}}.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod, { params }) => {
    const deprecated = Array.isArray(params.deprecated)
      ? params.deprecated.filter((p): p is string => typeof p === 'string')
      : []
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      const image = c.container.image
      const ref = typeof image === 'string' ? parseImageReference(image) : undefined
      const prefix = ref && deprecated.find((p) => qualifiedImageName(ref).startsWith(p))
      if (prefix)
        out.push({ messageId: 'deprecated', path: `${c.pointer}/image`, data: { name: c.name, image, prefix } })
    }
    return out
  },
})
