import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { parseImageReference } from '../image-reference/index.js'
import { containersOf } from '../pod-security-standards/index.js'

export default definePolicy({
  id: 'require-fully-qualified-image-names',
  title: 'Images must name their registry',
  summary: 'Require every image reference to start with a registry host (docker.io/library/nginx, not nginx).',
  rationale:
    'A short name is resolved by the node: Docker Hub for containerd, or the first search registry that has the name for CRI-O and Podman. An attacker who registers the name on an earlier or public registry gets their image run.',
  remediation: 'Write the registry explicitly: docker.io/library/nginx:1.27, registry.example.com/team/app:2.0.',
  severity: 'low',
  category: 'images',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.5.1' },
    { framework: 'nsa', control: 'pod-security/secure-images' },
    { framework: 'soc2', control: 'CC6.8' },
    { framework: 'pci', control: '6.3.2' },
    { framework: 'nist', control: 'SR-3' },
    { framework: 'nist', control: 'SR-11' },
  ],
  messages: {
    shortName:
      'Container "{{name}}" uses the short image name {{image}}; the node decides which registry it comes from.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod) => {
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      const image = c.container.image
      const ref = typeof image === 'string' ? parseImageReference(image) : undefined
      if (ref && !ref.explicitRegistry) {
        const qualified = `docker.io/${ref.repository}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`
        out.push({
          messageId: 'shortName',
          path: `${c.pointer}/image`,
          data: { name: c.name, image },
          fix: { safety: 'safe', patch: [{ op: 'replace', path: `${c.pointer}/image`, value: qualified }] },
        })
      }
    }
    return out
  },
})
