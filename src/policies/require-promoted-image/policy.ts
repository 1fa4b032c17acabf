import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { ruledImages, SUPPLY_PARAM, supplyOf } from '../image-rules/index.js'

const HOUR = 3_600_000

export default definePolicy({
  id: 'require-promoted-image',
  title: 'Production must run only digests that soaked in the previous environment',
  summary:
    'Require each image digest an images rule with promotion applies to to have run in the `from` environment for at least minSoak, per Git history.',
  rationale:
    'Promotion by pull request is only a control when what reaches production is what staging ran: a digest bumped straight into production skips every test, canary and soak that staging gives, and a rebuilt image with the same tag is a different artifact.',
  remediation:
    'Promote the digest that staging runs (copy it from the staging manifests), or wait until it has run there for minSoak.',
  severity: 'high',
  category: 'images',
  controls: [
    { framework: 'cis', control: '5.5.1' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'nist', control: 'SR-3' },
    { framework: 'nist', control: 'SR-4' },
    { framework: 'nist', control: 'SI-7' },
    { framework: 'slsa', control: 'verify/expectations' },
  ],
  params: SUPPLY_PARAM,
  messages: {
    neverRan: 'Container "{{name}}" uses image {{image}}, whose digest no {{from}} revision ran.',
    tooShort:
      'Container "{{name}}" uses image {{image}}, which ran in {{from}} for {{hours}} h, less than the {{minSoak}} required.',
    noDigest:
      'Container "{{name}}" uses image {{image}} without a digest, so its promotion from {{from}} cannot be checked.',
    notChecked:
      'The promotion of image {{image}} (container "{{name}}") from {{from}} could not be checked: {{reason}}.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod, { params, environment }) => {
    const supply = supplyOf(params)
    if (!supply) return []
    const out: NativeViolation[] = []
    for (const img of ruledImages(pod, supply, environment)) {
      const promotion = img.rule.promotion
      if (!promotion || promotion.from === environment) continue
      const data = { name: img.name, image: img.image, from: promotion.from, minSoak: promotion.minSoak }
      if (img.ref.digest === undefined) {
        out.push({ messageId: 'noDigest', path: img.pointer, data })
        continue
      }
      const history = supply.facts.promotion.get(promotion.from)
      if (history === undefined) {
        out.push({
          messageId: 'notChecked',
          path: img.pointer,
          data: { ...data, reason: supply.facts.promotionError ?? `the history of ${promotion.from} was not read` },
          status: 'error',
        })
        continue
      }
      const soak = history.get(img.ref.digest)
      if (soak === undefined) out.push({ messageId: 'neverRan', path: img.pointer, data })
      else if (soak < promotion.minSoakMs)
        out.push({ messageId: 'tooShort', path: img.pointer, data: { ...data, hours: (soak / HOUR).toFixed(1) } })
    }
    return out
  },
})
