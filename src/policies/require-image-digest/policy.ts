import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { parseImageReference, qualifiedImageName } from '../image-reference/index.js'
import { containersOf } from '../pod-security-standards/index.js'

export default definePolicy({
  id: 'require-image-digest',
  title: 'Images must be pinned by digest',
  summary: 'Require every container image to carry an @sha256 digest, except images under the exempt prefixes.',
  rationale:
    'A tag is a mutable pointer: whoever can push to the repository (or compromises it) changes what the same manifest deploys. A digest names the exact bytes that were reviewed and scanned.',
  remediation: 'Pin images as name:tag@sha256:<digest> (Renovate or Dependabot keep digests current); list registries you build from yourself in the exempt parameter if tags suffice there.',
  severity: 'low',
  category: 'images',
  stage: 'experimental',
  controls: [
    { framework: 'cis', control: '5.5.1' },
    { framework: 'nsa', control: 'pod-security/secure-images' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'pci', control: '6.3.2' },
    { framework: 'nist', control: 'CM-14' },
    { framework: 'nist', control: 'SI-7' },
    { framework: 'nist', control: 'SR-4' },
  ],
  params: {
    exempt: { description: 'Qualified image name prefixes that may use tags (for example registry.example.com/dev/).', default: [] },
  },
  messages: {
    notPinned: 'Container "{{name}}" uses image {{image}} without a digest.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod, { params }) => {
    const exempt = Array.isArray(params.exempt) ? params.exempt.filter((p): p is string => typeof p === 'string') : []
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      const image = c.container.image
      const ref = typeof image === 'string' ? parseImageReference(image) : undefined
      if (!ref || ref.digest !== undefined) continue
      const qualified = qualifiedImageName(ref)
      if (exempt.some((prefix) => qualified.startsWith(prefix))) continue
      out.push({ messageId: 'notPinned', path: `${c.pointer}/image`, data: { name: c.name, image } })
    }
    return out
  },
})
