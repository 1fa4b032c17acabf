import { ALL_CONTAINERS, definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-latest-image-tag',
  title: 'Images must name a version: no :latest, no missing tag',
  summary: 'Require every container image to carry an explicit tag other than latest, or a digest.',
  rationale:
    'An image without a tag means :latest, and :latest moves: the same manifest deploys different code on each node and each restart, rollbacks do not roll back, and what was reviewed is not what runs.',
  remediation: 'Pin each image to a release tag (app:1.4.2) or, better, to a digest (app@sha256:...).',
  severity: 'medium',
  category: 'images',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.5.1' },
    { framework: 'nsa', control: 'pod-security/secure-images' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'pci', control: '6.3.2' },
    { framework: 'nist', control: 'CM-2' },
    { framework: 'nist', control: 'CM-8' },
  ],
  messages: {
    missingTag: 'Container "{{name}}" uses image {{image}} without a tag, which means :latest.',
    latestTag: 'Container "{{name}}" uses the mutable :latest tag ({{image}}).',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  forEach: { paths: ALL_CONTAINERS, as: 'c' },
  rules: [
    {
      messageId: 'missingTag',
      path: '/image',
      // a tag is a ':' after the last '/', so registry ports (host:5000/app) do not count
      expression: '!has(c.image) || c.image.contains("@") || c.image.matches(":[^/:]+$")',
      data: { name: 'c.name', image: 'c.image' },
    },
    {
      messageId: 'latestTag',
      path: '/image',
      expression: '!has(c.image) || c.image.contains("@") || !c.image.endsWith(":latest")',
      data: { name: 'c.name', image: 'c.image' },
    },
  ],
})
