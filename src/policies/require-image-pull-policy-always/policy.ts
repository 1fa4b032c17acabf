import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { parseImageReference } from '../image-reference/index.js'
import { containersOf } from '../pod-security-standards/index.js'

export default definePolicy({
  id: 'require-image-pull-policy-always',
  title: 'Images pulled by tag must use imagePullPolicy: Always',
  summary: 'Require an effective imagePullPolicy of Always for every image that is not pinned by digest.',
  rationale:
    'With IfNotPresent a node reuses whatever image it cached under that tag: a pod in any namespace can run a private image another tenant pulled without presenting pull credentials, and a re-pushed tag keeps running its old (or poisoned) content on some nodes.',
  remediation: 'Set imagePullPolicy: Always, or pin the image by digest (then IfNotPresent is safe and faster).',
  severity: 'low',
  category: 'images',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'pod-security/secure-images' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '6.3.2' },
    { framework: 'nist', control: 'AC-3' },
    { framework: 'nist', control: 'SI-7' },
  ],
  messages: {
    notAlways: 'Container "{{name}}" pulls {{image}} by tag with imagePullPolicy {{policy}}.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod) => {
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      const image = c.container.image
      const ref = typeof image === 'string' ? parseImageReference(image) : undefined
      if (!ref || ref.digest !== undefined) continue
      // The API server defaults the policy to Always for :latest or no tag, IfNotPresent otherwise.
      const explicit = c.container.imagePullPolicy
      const effective =
        typeof explicit === 'string'
          ? explicit
          : ref.tag === undefined || ref.tag === 'latest'
            ? 'Always'
            : 'IfNotPresent'
      if (effective === 'Always') continue
      out.push({
        messageId: 'notAlways',
        path: typeof explicit === 'string' ? `${c.pointer}/imagePullPolicy` : c.pointer,
        data: {
          name: c.name,
          image,
          policy: typeof explicit === 'string' ? effective : `${effective} (the default for a tag)`,
        },
        fix: {
          safety: 'safe',
          patch: [
            {
              op: typeof explicit === 'string' ? 'replace' : 'add',
              path: `${c.pointer}/imagePullPolicy`,
              value: 'Always',
            },
          ],
        },
      })
    }
    return out
  },
})
