import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { ruledImages, SUPPLY_PARAM, supplyOf } from '../image-rules/index.js'

/** Package (or file) names that give an attacker a shell or a way to install tools. */
const SHELLS = new Set(['bash', 'dash', 'ash', 'zsh', 'busybox', 'sh', 'ksh', 'tcsh', 'mksh'])
const PACKAGE_MANAGERS = new Set([
  'apk-tools',
  'apt',
  'dpkg',
  'rpm',
  'yum',
  'dnf',
  'microdnf',
  'zypper',
  'pip',
  'python3-pip',
  'py3-pip',
  'npm',
])

export default definePolicy({
  id: 'disallow-shell-in-production-images',
  title: 'Production images must not ship a shell or a package manager',
  summary:
    'Refuse images whose SBOM or scan report lists a shell (bash, busybox, ...) or a package manager, where an images rule sets reports.noShell.',
  rationale:
    'A shell and a package manager turn a code-execution bug into an interactive foothold: the attacker downloads tools, explores and persists. Distroless and scratch-based images leave them nothing to work with.',
  remediation:
    'Build the production stage from a distroless or scratch base (multi-stage build); debug with ephemeral containers instead.',
  severity: 'medium',
  category: 'images',
  controls: [
    { framework: 'nsa', control: 'pod-security/secure-images' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'nist', control: 'CM-7' },
    { framework: 'nist', control: 'SR-3' },
    { framework: 'slsa', control: 'verify/expectations' },
  ],
  params: SUPPLY_PARAM,
  messages: {
    shell: 'Container "{{name}}" uses image {{image}}, which ships {{found}}.',
    noReport: 'Image {{image}} (container "{{name}}") has no SBOM or scan report, so its contents cannot be checked.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod, { params, environment }) => {
    const supply = supplyOf(params)
    if (!supply) return []
    const out: NativeViolation[] = []
    for (const img of ruledImages(pod, supply, environment)) {
      if (!img.rule.reports?.noShell) continue
      const data = { name: img.name, image: img.image }
      const report =
        (img.digest === undefined ? undefined : supply.facts.reports.get(img.digest)) ??
        supply.facts.reports.get(img.image)
      if (!report) {
        out.push({ messageId: 'noReport', path: img.pointer, data, status: 'error' })
        continue
      }
      const found = [
        ...new Set(report.packages.map((p) => p.toLowerCase()).filter((p) => SHELLS.has(p) || PACKAGE_MANAGERS.has(p))),
      ].sort()
      if (found.length > 0)
        out.push({ messageId: 'shell', path: img.pointer, data: { ...data, found: found.join(', ') } })
    }
    return out
  },
})
