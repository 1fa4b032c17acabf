import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-argocd-default-project',
  title: 'Argo CD applications must not use the default project',
  summary: 'Forbid Applications (and ApplicationSet templates) in the default AppProject.',
  rationale:
    'The default project allows every repository, every destination and every cluster-scoped resource unless someone restricted it: an application placed there runs without any of the project boundaries.',
  remediation:
    'Create an AppProject per team or environment with explicit sourceRepos, destinations and resource whitelists, and set spec.project to it.',
  severity: 'medium',
  category: 'gitops',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.1' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'CM-5' },
  ],
  messages: {
    defaultProject: '{{kind}} "{{name}}" deploys through the default project, which has no boundaries.',
  },
  match: { kinds: ['argoproj.io/Application', 'argoproj.io/ApplicationSet'] },
  rules: [
    {
      messageId: 'defaultProject',
      path: '/spec/project',
      expression: "object.kind != 'Application' || object.spec.?project.orValue('default') != 'default'",
      data: { kind: 'object.kind', name: 'object.metadata.name' },
    },
    {
      messageId: 'defaultProject',
      path: '/spec/template/spec/project',
      expression:
        "object.kind != 'ApplicationSet' || object.spec.?template.?spec.?project.orValue('default') != 'default'",
      data: { kind: 'object.kind', name: 'object.metadata.name' },
    },
  ],
})
