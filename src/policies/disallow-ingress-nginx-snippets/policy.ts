import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-ingress-nginx-snippets',
  title: 'Ingresses must not inject raw NGINX configuration',
  summary: "Forbid the ingress-nginx *-snippet annotations and NGINX Inc's nginx.org/*-snippets annotations.",
  rationale:
    "Snippet annotations paste text into the controller's nginx.conf: anyone who can create an Ingress can read files of the controller, including its service account token with access to every Secret in the cluster (CVE-2021-25742), or run code in it.",
  remediation:
    "Use the controller's dedicated annotations or a ConfigMap owned by the platform team; keep allow-snippet-annotations disabled in the controller.",
  severity: 'high',
  category: 'network',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/separation' },
    { framework: 'nsa', control: 'upgrading/application-security' },
    { framework: 'soc2', control: 'CC6.8' },
    { framework: 'pci', control: '2.2.5' },
    { framework: 'nist', control: 'CM-7' },
    { framework: 'nist', control: 'AC-6' },
  ],
  messages: {
    snippet: 'Ingress "{{name}}" sets {{annotation}}, which injects raw NGINX configuration.',
  },
  match: { kinds: ['Ingress'] },
  rules: [
    {
      messageId: 'snippet',
      forEach: { paths: ['/metadata/annotations'], as: 'a' },
      expression:
        "!((a.key.startsWith('nginx.ingress.kubernetes.io/') && a.key.endsWith('-snippet')) || (a.key.startsWith('nginx.org/') && a.key.endsWith('-snippets')))",
      data: { name: 'object.metadata.name', annotation: 'a.key' },
    },
  ],
})
