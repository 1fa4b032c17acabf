import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { parseImageReference, qualifiedImageName } from '../image-reference/index.js'
import { containersOf } from '../pod-security-standards/index.js'
import { repositoryOf, requiresDigest, ruleFor, SUPPLY_PARAM, supplyOf } from '../image-rules/index.js'

export default definePolicy({
  id: 'require-image-digest',
  title: 'Images must be pinned by digest',
  summary:
    'Require container images to carry an @sha256 digest: as palisade.yaml images rules say (production by default), else except under the exempt prefixes.',
  rationale:
    'A tag is a mutable pointer: whoever can push to the repository (or compromises it) changes what the same manifest deploys. A digest names the exact bytes that were reviewed and scanned.',
  remediation:
    'Pin images as name:tag@sha256:<digest> (Renovate or Dependabot keep digests current); list registries you build from yourself in the exempt parameter if tags suffice there.',
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
    { framework: 'slsa', control: 'verify/artifact' },
  ],
  params: {
    exempt: {
      description:
        'Qualified image name prefixes that may use tags (for example registry.example.com/dev/); not used when palisade.yaml has images rules, which then decide alone.',
      default: [],
    },
    ...SUPPLY_PARAM,
  },
  messages: {
    notPinned: 'Container "{{name}}" uses image {{image}} without a digest.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod, { params, environment }) => {
    const supply = supplyOf(params)
    const exempt = Array.isArray(params.exempt) ? params.exempt.filter((p): p is string => typeof p === 'string') : []
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      const image = c.container.image
      const ref = typeof image === 'string' ? parseImageReference(image) : undefined
      if (!ref || ref.digest !== undefined) continue
      // An images rule decides for the images it matches (requireDigest, default: production only).
      // With images rules, they alone decide: an image no rule matches is not this policy's business (add match: ["*"] to cover every image).
      if (supply) {
        const rule = ruleFor(supply.rules, repositoryOf(ref), environment)
        if (rule && requiresDigest(rule, environment))
          out.push({ messageId: 'notPinned', path: `${c.pointer}/image`, data: { name: c.name, image } })
        continue
      }
      const qualified = qualifiedImageName(ref)
      if (exempt.some((prefix) => qualified.startsWith(prefix))) continue
      out.push({ messageId: 'notPinned', path: `${c.pointer}/image`, data: { name: c.name, image } })
    }
    return out
  },
})
