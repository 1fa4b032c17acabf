import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-auto-prune-in-production',
  title: 'Production applications must not prune resources automatically',
  summary:
    'Forbid syncPolicy.automated.prune: true on Argo CD Applications and ApplicationSet templates in the production environment.',
  rationale:
    'With automated prune, a commit that drops a manifest (a bad merge, a refactor, a renamed file) deletes the live object at once: databases, PersistentVolumeClaims and namespaces disappear from production before anyone reviews the sync.',
  remediation:
    'Keep automated sync, but set prune: false in production and prune from the Argo CD UI or CLI after review; protect critical objects with the Prune=false sync option.',
  severity: 'medium',
  category: 'gitops',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'upgrading/configuration' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'soc2', control: 'A1.1' },
    { framework: 'pci', control: '6.5.1' },
    { framework: 'nist', control: 'CM-3' },
    { framework: 'nist', control: 'CM-4' },
  ],
  messages: {
    autoPrune: '{{kind}} "{{name}}" prunes live resources automatically in a production environment.',
  },
  // Environment names are the ones palisade.yaml defines; production and prod by convention.
  match: { kinds: ['argoproj.io/Application', 'argoproj.io/ApplicationSet'], environments: ['production', 'prod'] },
  rules: [
    {
      messageId: 'autoPrune',
      path: '/spec/syncPolicy/automated/prune',
      expression: "object.kind != 'Application' || object.spec.?syncPolicy.?automated.?prune.orValue(false) != true",
      data: { kind: 'object.kind', name: 'object.metadata.name' },
    },
    {
      messageId: 'autoPrune',
      path: '/spec/template/spec/syncPolicy/automated/prune',
      expression:
        "object.kind != 'ApplicationSet' || object.spec.?template.?spec.?syncPolicy.?automated.?prune.orValue(false) != true",
      data: { kind: 'object.kind', name: 'object.metadata.name' },
    },
  ],
})
