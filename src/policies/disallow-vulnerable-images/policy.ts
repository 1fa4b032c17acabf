import { severityRank } from '../../core/index.js'
import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { ruledImages, SUPPLY_PARAM, supplyOf } from '../image-rules/index.js'

export default definePolicy({
  id: 'disallow-vulnerable-images',
  title: 'Images must not carry vulnerabilities above the threshold, nor an end-of-life base',
  summary:
    'Refuse images whose Trivy or Grype report lists vulnerabilities above maxSeverity (with a fix, under fixableOnly) or an end-of-life OS.',
  rationale:
    'A known vulnerability with a released fix is the cheapest way in; an end-of-life base image gets no fixes at all. The scan report already says so: this makes the report a gate instead of a file nobody opens.',
  remediation:
    'Rebuild on a patched base image (or bump the package) and promote the new digest; accept a risk with a waiver that names its owner and expiry.',
  severity: 'high',
  category: 'images',
  controls: [
    { framework: 'cis', control: '5.5.1' },
    { framework: 'nsa', control: 'pod-security/secure-images' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'nist', control: 'SI-2' },
    { framework: 'nist', control: 'SR-3' },
    { framework: 'slsa', control: 'verify/expectations' },
  ],
  params: SUPPLY_PARAM,
  messages: {
    vulnerable: 'Container "{{name}}" uses image {{image}} with {{count}} {{what}} above {{maxSeverity}}: {{ids}}.',
    endOfLife: 'Container "{{name}}" uses image {{image}}, whose base {{os}} is past its end of life.',
    noReport: 'Image {{image}} (container "{{name}}") has no scan report, so its vulnerabilities cannot be checked.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod, { params, environment }) => {
    const supply = supplyOf(params)
    if (!supply) return []
    const out: NativeViolation[] = []
    for (const img of ruledImages(pod, supply, environment)) {
      const rule = img.rule.reports
      if (!rule || (rule.maxSeverity === undefined && rule.allowEol)) continue
      const data = { name: img.name, image: img.image }
      const report =
        (img.digest === undefined ? undefined : supply.facts.reports.get(img.digest)) ??
        supply.facts.reports.get(img.image)
      if (!report) {
        out.push({ messageId: 'noReport', path: img.pointer, data, status: 'error' })
        continue
      }
      if (rule.maxSeverity !== undefined) {
        const max = severityRank(rule.maxSeverity)
        const above = report.vulnerabilities.filter(
          (v) => severityRank(v.severity) > max && (!rule.fixableOnly || v.fixedVersion !== undefined),
        )
        if (above.length > 0) {
          const ids = [...new Set(above.map((v) => v.id))]
          const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? `, and ${ids.length - 5} more` : '')
          out.push({
            messageId: 'vulnerable',
            path: img.pointer,
            data: {
              ...data,
              count: ids.length,
              what: rule.fixableOnly ? 'fixable vulnerabilities' : 'vulnerabilities',
              maxSeverity: rule.maxSeverity,
              ids: shown,
            },
          })
        }
      }
      if (!rule.allowEol && report.os?.eol)
        out.push({ messageId: 'endOfLife', path: img.pointer, data: { ...data, os: report.os.name } })
    }
    return out
  },
})
