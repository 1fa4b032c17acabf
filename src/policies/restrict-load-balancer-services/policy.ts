import { definePolicy } from '../../engine/index.js'

/** Annotations that make a cloud load balancer internal, by provider, with their internal values. */
const INTERNAL: readonly (readonly [string, readonly string[]])[] = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', ['true', '0.0.0.0/0']],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', ['internal']],
  ['networking.gke.io/load-balancer-type', ['Internal']],
  ['cloud.google.com/load-balancer-type', ['Internal']],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', ['true']],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', ['true']],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', ['private']],
]
const internal = INTERNAL.map(
  ([key, values]) => `variables.annotations[?${JSON.stringify(key)}].orValue('') in ${JSON.stringify(values)}`,
).join(' || ')

export default definePolicy({
  id: 'restrict-load-balancer-services',
  title: 'LoadBalancer Services must be internal or restricted to known sources',
  summary:
    'Require a LoadBalancer Service to set loadBalancerSourceRanges or a provider annotation that makes it internal.',
  rationale:
    'A LoadBalancer Service gets a public address by default on every major cloud: an internal admin API or database published this way is reachable by the whole internet.',
  remediation:
    "Set spec.loadBalancerSourceRanges to the client CIDRs, or the cloud provider's internal load balancer annotation; expose public HTTP services through an Ingress with TLS instead.",
  severity: 'medium',
  category: 'network',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/separation' },
    { framework: 'soc2', control: 'CC6.6' },
    { framework: 'pci', control: '1.3.1' },
    { framework: 'pci', control: '1.4.1' },
    { framework: 'nist', control: 'SC-7' },
    { framework: 'nist', control: 'AC-4' },
  ],
  messages: {
    public:
      'Service "{{name}}" is a LoadBalancer open to any source: it sets no loadBalancerSourceRanges and no internal load balancer annotation.',
  },
  match: { kinds: ['/Service'], condition: "object.spec.?type.orValue('') == 'LoadBalancer'" },
  variables: [{ name: 'annotations', expression: 'object.metadata.?annotations.orValue({})' }],
  rules: [
    {
      messageId: 'public',
      path: '/spec/type',
      expression: `size(object.spec.?loadBalancerSourceRanges.orValue([])) > 0 || ${internal}`,
      data: { name: 'object.metadata.name' },
    },
  ],
})
