import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { ruledImages, SUPPLY_PARAM, supplyOf } from '../image-rules/index.js'

export default definePolicy({
  id: 'verify-image-signatures',
  title: 'Images must carry a trusted Cosign signature',
  summary:
    'Require a Cosign signature by a configured key or keyless identity on every image an images rule with signatures applies to.',
  rationale:
    "A registry account, a CI token or a mirror can be used to push an image nobody built from reviewed source. A signature by the build pipeline's key or workload identity ties the digest to that pipeline; admission controllers check it at the cluster door, this checks it in the pull request too.",
  remediation:
    'Sign the digest in CI (cosign sign --key ... or keyless with the workload identity), or fix the key or identity listed in palisade.yaml images[].signatures.',
  severity: 'high',
  category: 'images',
  controls: [
    { framework: 'cis', control: '5.5.1' },
    { framework: 'nsa', control: 'pod-security/secure-images' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'nist', control: 'SR-4' },
    { framework: 'nist', control: 'SR-11' },
    { framework: 'nist', control: 'SI-7' },
    { framework: 'nist', control: 'CM-14' },
    { framework: 'slsa', control: 'verify/artifact' },
  ],
  params: SUPPLY_PARAM,
  messages: {
    unsigned: 'Container "{{name}}" uses image {{image}}, which has no Cosign signature: {{reason}}.',
    untrusted:
      'Container "{{name}}" uses image {{image}}, whose signatures are not by a trusted key or identity: {{reason}}.',
    noDigest: 'Container "{{name}}" uses image {{image}}, whose digest is unknown, so its signature cannot be checked.',
    notChecked: 'The signature of image {{image}} (container "{{name}}") could not be checked: {{reason}}.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod, { params, environment }) => {
    const supply = supplyOf(params)
    if (!supply) return []
    const out: NativeViolation[] = []
    for (const img of ruledImages(pod, supply, environment)) {
      if (!img.rule.signatures) continue
      const data = { name: img.name, image: img.image }
      if (img.digest === undefined) {
        out.push({ messageId: 'noDigest', path: img.pointer, data, status: 'error' })
        continue
      }
      const fact = supply.facts.signatures.get(`${img.repository}@${img.digest}`)
      if (fact === undefined) {
        out.push({
          messageId: 'notChecked',
          path: img.pointer,
          data: { ...data, reason: 'no registry result (not looked up)' },
          status: 'error',
        })
      } else if (fact.status === 'unsigned') {
        out.push({ messageId: 'unsigned', path: img.pointer, data: { ...data, reason: fact.reason } })
      } else if (fact.status === 'untrusted') {
        out.push({ messageId: 'untrusted', path: img.pointer, data: { ...data, reason: fact.reason } })
      } else if (fact.status === 'error') {
        out.push({
          messageId: 'notChecked',
          path: img.pointer,
          data: { ...data, reason: fact.reason },
          status: 'error',
        })
      }
    }
    return out
  },
})
