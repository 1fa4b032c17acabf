import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'restrict-argocd-project-source-repos',
  title: 'Argo CD projects must list the repositories they deploy from',
  summary: 'Forbid "*" in AppProject spec.sourceRepos.',
  rationale:
    'sourceRepos is the project\'s boundary on what may be deployed: with "*", anyone who can create an Application in the project deploys manifests from any repository, unreviewed and outside the organisation.',
  remediation:
    "List the repositories (or an organisation prefix such as https://github.com/acme/*) the project's applications may use.",
  severity: 'high',
  category: 'gitops',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'upgrading/application-security' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'pci', control: '6.5.1' },
    { framework: 'nist', control: 'CM-5' },
    { framework: 'nist', control: 'CM-7(1)' },
  ],
  messages: {
    anyRepo: 'AppProject "{{name}}" allows applications from any source repository ("*").',
  },
  match: { kinds: ['argoproj.io/AppProject'] },
  rules: [
    {
      messageId: 'anyRepo',
      forEach: { paths: ['/spec/sourceRepos'], as: 'repo' },
      expression: "repo != '*'",
      data: { name: 'object.metadata.name' },
    },
  ],
})
