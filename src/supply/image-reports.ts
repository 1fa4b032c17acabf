import { isRecord, isSeverity, type ImageReportFact, type Severity, type VulnerabilityFact } from '../core/index.js'

/** What one report file says, and which image it is about (digests and the name it scanned). */
export interface ParsedReport {
  format: 'trivy' | 'grype' | 'cyclonedx' | 'spdx'
  /** `sha256:...` digests and image names the report names as its subject. */
  subjects: string[]
  fact: ImageReportFact
}

const DIGEST = /sha256:[0-9a-f]{64}/g

/**
 * Read a Trivy JSON report, a Grype JSON report, a CycloneDX JSON SBOM or an SPDX JSON
 * SBOM. Returns undefined for JSON that is none of them. Pure.
 */
export function parseImageReport(json: unknown, file: string): ParsedReport | undefined {
  if (!isRecord(json)) return undefined
  if (Array.isArray(json.Results) || (json.ArtifactType !== undefined && json.SchemaVersion !== undefined))
    return trivy(json, file)
  if (Array.isArray(json.matches) && isRecord(json.source)) return grype(json, file)
  if (json.bomFormat === 'CycloneDX') return cyclonedx(json, file)
  if (typeof json.spdxVersion === 'string') return spdx(json, file)
  return undefined
}

function severityOf(text: unknown): Severity {
  const s = typeof text === 'string' ? text.toLowerCase() : ''
  if (s === 'negligible' || s === 'unknown' || s === '') return 'info'
  return isSeverity(s) ? s : 'info'
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

function subjectsOf(names: readonly unknown[], digestSources: readonly unknown[]): string[] {
  const out = new Set<string>()
  for (const n of names) if (typeof n === 'string' && n !== '') out.add(n)
  for (const d of digestSources) for (const m of JSON.stringify(d ?? '').match(DIGEST) ?? []) out.add(m)
  return [...out]
}

function trivy(json: Record<string, unknown>, file: string): ParsedReport {
  const meta = isRecord(json.Metadata) ? json.Metadata : {}
  const vulnerabilities: VulnerabilityFact[] = []
  const packages: string[] = []
  for (const r of Array.isArray(json.Results) ? json.Results.filter(isRecord) : []) {
    for (const v of Array.isArray(r.Vulnerabilities) ? r.Vulnerabilities.filter(isRecord) : []) {
      const fixed = typeof v.FixedVersion === 'string' && v.FixedVersion !== '' ? v.FixedVersion : undefined
      vulnerabilities.push({
        id: String(v.VulnerabilityID ?? '?'),
        package: String(v.PkgName ?? '?'),
        severity: severityOf(v.Severity),
        ...(fixed ? { fixedVersion: fixed } : {}),
      })
    }
    for (const p of Array.isArray(r.Packages) ? r.Packages.filter(isRecord) : [])
      if (typeof p.Name === 'string') packages.push(p.Name)
  }
  const os = isRecord(meta.OS) ? meta.OS : undefined
  const fact: ImageReportFact = { sources: [file], vulnerabilities, packages }
  if (os) fact.os = { name: `${String(os.Family ?? '?')} ${String(os.Name ?? '')}`.trim(), eol: os.EOSL === true }
  return { format: 'trivy', subjects: subjectsOf([json.ArtifactName], [meta.ImageID, meta.RepoDigests]), fact }
}

function grype(json: Record<string, unknown>, file: string): ParsedReport {
  const source = json.source as Record<string, unknown>
  const target = isRecord(source.target) ? source.target : {}
  const vulnerabilities: VulnerabilityFact[] = []
  const packages = new Set<string>()
  for (const m of (json.matches as unknown[]).filter(isRecord)) {
    const v = isRecord(m.vulnerability) ? m.vulnerability : {}
    const fix = isRecord(v.fix) ? v.fix : {}
    const artifact = isRecord(m.artifact) ? m.artifact : {}
    const versions = strings(fix.versions)
    const fixed = fix.state === 'fixed' && versions.length > 0 ? versions[0] : undefined
    vulnerabilities.push({
      id: String(v.id ?? '?'),
      package: String(artifact.name ?? '?'),
      severity: severityOf(v.severity),
      ...(fixed ? { fixedVersion: fixed } : {}),
    })
    if (typeof artifact.name === 'string') packages.add(artifact.name)
  }
  const distro = isRecord(json.distro) ? json.distro : undefined
  const fact: ImageReportFact = { sources: [file], vulnerabilities, packages: [...packages] }
  if (distro && typeof distro.name === 'string')
    fact.os = { name: `${distro.name} ${String(distro.version ?? '')}`.trim(), eol: false }
  return {
    format: 'grype',
    subjects: subjectsOf([target.userInput], [target.manifestDigest, target.repoDigests, target.imageID]),
    fact,
  }
}

function cyclonedx(json: Record<string, unknown>, file: string): ParsedReport {
  const meta = isRecord(json.metadata) ? json.metadata : {}
  const component = isRecord(meta.component) ? meta.component : {}
  const packages: string[] = []
  const walk = (list: unknown): void => {
    for (const c of Array.isArray(list) ? list.filter(isRecord) : []) {
      if (typeof c.name === 'string') packages.push(c.name)
      walk(c.components)
    }
  }
  walk(json.components)
  const vulnerabilities: VulnerabilityFact[] = []
  for (const v of Array.isArray(json.vulnerabilities) ? json.vulnerabilities.filter(isRecord) : []) {
    const rating = Array.isArray(v.ratings) ? v.ratings.find(isRecord) : undefined
    vulnerabilities.push({ id: String(v.id ?? '?'), package: '?', severity: severityOf(rating?.severity) })
  }
  return {
    format: 'cyclonedx',
    subjects: subjectsOf([component.name], [component.version, component.hashes, component['bom-ref']]),
    fact: { sources: [file], vulnerabilities, packages },
  }
}

function spdx(json: Record<string, unknown>, file: string): ParsedReport {
  const packages = (Array.isArray(json.packages) ? json.packages.filter(isRecord) : [])
    .map((p) => p.name)
    .filter((n): n is string => typeof n === 'string')
  return {
    format: 'spdx',
    subjects: subjectsOf([json.name], [json.documentDescribes, json.name]),
    fact: { sources: [file], vulnerabilities: [], packages },
  }
}

/** Merge what several reports say about one image (a Trivy report and an SBOM, say). */
export function mergeReports(a: ImageReportFact, b: ImageReportFact): ImageReportFact {
  const out: ImageReportFact = {
    sources: [...a.sources, ...b.sources],
    vulnerabilities: [...a.vulnerabilities, ...b.vulnerabilities],
    packages: [...new Set([...a.packages, ...b.packages])],
  }
  const os = a.os ?? b.os
  if (os) out.os = { name: os.name, eol: (a.os?.eol ?? false) || (b.os?.eol ?? false) }
  return out
}
