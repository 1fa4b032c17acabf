import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { parseImageReference, qualifiedImageName } from '../image-reference/index.js'
import { containersOf } from '../pod-security-standards/index.js'

export default definePolicy({
  id: 'restrict-image-registries',
  title: 'Images must come from the allowed registries',
  summary: 'Allow only images whose fully qualified name starts with one of the allowed prefixes (parameter allowed).',
  rationale:
    "Images from arbitrary registries bypass the organisation's scanning, signing and licence checks, and public repositories are a common route for typosquatted or backdoored images.",
  remediation:
    'Mirror the image into an allowed registry (and scan it there), or add its registry to the allowed parameter after review.',
  severity: 'high',
  category: 'images',
  // Organisation-specific: it does nothing useful until `allowed` is configured in palisade.yaml.
  stage: 'experimental',
  controls: [
    { framework: 'cis', control: '5.5.1' },
    { framework: 'nsa', control: 'pod-security/secure-images' },
    { framework: 'nsa', control: 'upgrading/application-security' },
    { framework: 'soc2', control: 'CC6.8' },
    { framework: 'pci', control: '6.3.2' },
    { framework: 'nist', control: 'CM-7(1)' },
    { framework: 'nist', control: 'SR-3' },
    { framework: 'nist', control: 'SR-11' },
  ],
  params: {
    allowed: {
      description:
        'Allowed prefixes of fully qualified image names (docker.io/library/ for Docker Hub official images, registry.example.com/, ghcr.io/acme/). Empty: every image is refused.',
      default: [],
    },
  },
  messages: {
    notAllowed:
      'Container "{{name}}" uses image {{image}} from {{registry}}, which is not an allowed registry ({{allowed}}).',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod, { params }) => {
    const allowed = Array.isArray(params.allowed)
      ? params.allowed.filter((p): p is string => typeof p === 'string')
      : []
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      const image = c.container.image
      const ref = typeof image === 'string' ? parseImageReference(image) : undefined
      if (!ref || allowed.some((prefix) => qualifiedImageName(ref).startsWith(prefix))) continue
      out.push({
        messageId: 'notAllowed',
        path: `${c.pointer}/image`,
        data: {
          name: c.name,
          image,
          registry: ref.registry,
          allowed: allowed.length > 0 ? allowed.join(', ') : 'none configured',
        },
      })
    }
    return out
  },
})
