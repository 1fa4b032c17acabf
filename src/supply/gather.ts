import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { describeError, type Diagnostic, type ImageFacts, type ImageReportFact, type ImageRule } from '../core/index.js'
import type { PalisadeConfig } from '../config/index.js'
import { ruleFor, parseImageReference, repositoryOf, tagKey } from '../policies/index.js'
import { gatherSignatures, type ImageUse, type SignatureLookup } from './gather-signatures.js'
import { mergeReports, parseImageReport } from './image-reports.js'
import { readEnvironmentHistory, soakTimes } from './promotion.js'
import { readAttestations } from './attestations.js'

/** Everything gathering needs besides the images: where to look and what to trust. */
export interface GatherOptions {
  config: PalisadeConfig
  lookup: SignatureLookup
  /** `--image-reports DIR`. */
  reportsDir?: string
  /** The clock, for soak times. */
  now: Date
}

const MAX_REPORT_BYTES = 64 * 1024 * 1024

/**
 * Gather the facts the image policies judge, for the images of a run: signatures (registry
 * and cache), promotion history (Git), scan reports (files). Problems reading reports are
 * diagnostics with the file; what could not be gathered is left out, so the policies give
 * `error` for it (blocking), never a pass.
 */
export async function gatherImageFacts(
  uses: readonly ImageUse[],
  options: GatherOptions,
): Promise<{ facts: ImageFacts; diagnostics: Diagnostic[] }> {
  const rules = options.config.images ?? []
  const diagnostics: Diagnostic[] = []
  const applied = uses.map((u) => {
    const ref = parseImageReference(u.image)
    return ref ? ruleFor(rules, repositoryOf(ref), u.environment) : undefined
  })
  const { resolved, signatures, unresolved } = await gatherSignatures(uses, options.lookup)
  for (const [tag, reason] of unresolved)
    diagnostics.push({
      code: 'REGISTRY_ERROR',
      message: `cannot resolve ${tag} to a digest: ${reason}`,
      severity: 'warning',
    })
  const froms = new Set(applied.flatMap((r) => (r?.promotion ? [r.promotion.from] : [])))
  const { promotion, promotionError } = await gatherPromotion(options.config, froms, options.now)
  const reports = new Map<string, ImageReportFact>()
  const needReports = applied.some((r: ImageRule | undefined) => r?.reports !== undefined)
  if (options.reportsDir !== undefined && needReports) await readReports(options.reportsDir, reports, diagnostics)
  if (needReports) await attestedReports(uses, applied, resolved, options.lookup, reports, diagnostics)
  const facts: ImageFacts = { resolved, signatures, promotion, reports, reportsGiven: options.reportsDir !== undefined }
  if (promotionError !== undefined) facts.promotionError = promotionError
  return { facts, diagnostics }
}

/** Read every report and SBOM of a folder into `into`, keyed by the digests and names they are about. */
export async function readReports(
  dir: string,
  into: Map<string, ImageReportFact>,
  diagnostics: Diagnostic[],
): Promise<void> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()
  } catch (error) {
    diagnostics.push({ code: 'REPORT_INVALID', message: `cannot read --image-reports ${dir}: ${describeError(error)}` })
    return
  }
  for (const name of names) {
    const file = path.join(dir, name)
    const span = { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }
    try {
      const info = await stat(file)
      if (!info.isFile()) continue
      if (info.size > MAX_REPORT_BYTES) {
        diagnostics.push({ code: 'REPORT_INVALID', message: `${name} is larger than ${MAX_REPORT_BYTES} bytes`, span })
        continue
      }
      const parsed = parseImageReport(JSON.parse(await readFile(file, 'utf8')), file)
      if (!parsed) {
        diagnostics.push({
          code: 'REPORT_INVALID',
          message: `${name} is not a Trivy or Grype JSON report, nor a CycloneDX or SPDX JSON SBOM`,
          span,
        })
        continue
      }
      for (const subject of parsed.subjects) {
        const had = into.get(subject)
        into.set(subject, had ? mergeReports(had, parsed.fact) : parsed.fact)
      }
    } catch (error) {
      diagnostics.push({ code: 'REPORT_INVALID', message: `cannot read ${name}: ${describeError(error)}`, span })
    }
  }
}

/** Soak times of the digests each `from` environment ran, from Git history; what could not be read is named in `promotionError`. */
export async function gatherPromotion(
  config: PalisadeConfig,
  froms: ReadonlySet<string>,
  now: Date,
): Promise<{ promotion: Map<string, Map<string, number>>; promotionError?: string }> {
  const promotion = new Map<string, Map<string, number>>()
  let promotionError: string | undefined
  for (const from of froms) {
    const env = config.environments.find((e) => e.name === from)
    if (!env || env.paths.length === 0) {
      promotionError = `environment "${from}" has no paths in palisade.yaml, so its history cannot be read`
      continue
    }
    try {
      promotion.set(from, soakTimes(await readEnvironmentHistory(config.root, env), now.getTime()))
    } catch (error) {
      promotionError = `cannot read the Git history of ${from}: ${describeError(error)}`
    }
  }
  return { promotion, ...(promotionError === undefined ? {} : { promotionError }) }
}

/**
 * SBOM and vulnerability attestations (`cosign attest`) beside the images whose rule asks
 * for reports, signed by the rule's keys: merged with the files of --image-reports.
 */
async function attestedReports(
  uses: readonly ImageUse[],
  applied: readonly (ImageRule | undefined)[],
  resolved: ReadonlyMap<string, string>,
  lookup: GatherOptions['lookup'],
  into: Map<string, ImageReportFact>,
  diagnostics: Diagnostic[],
): Promise<void> {
  const client = lookup.client
  if (!client) return
  const seen = new Set<string>()
  for (const [i, use] of uses.entries()) {
    const rule = applied[i]
    const trust = rule ? lookup.trust.get(rule) : undefined
    const ref = parseImageReference(use.image)
    if (!rule?.reports || !trust || !ref || !client.allowed(ref.registry)) continue
    const digest = ref.digest ?? resolved.get(tagKey(ref))
    if (digest === undefined || seen.has(`${repositoryOf(ref)}@${digest}`)) continue
    seen.add(`${repositoryOf(ref)}@${digest}`)
    try {
      const { report, skipped } = await readAttestations(client, ref.registry, ref.repository, digest, trust.trust)
      for (const why of skipped)
        diagnostics.push({ code: 'REPORT_INVALID', message: `attestation left out: ${why}`, severity: 'warning' })
      if (report) {
        const had = into.get(digest)
        into.set(digest, had ? mergeReports(had, report) : report)
      }
    } catch (error) {
      diagnostics.push({
        code: 'REGISTRY_ERROR',
        message: `cannot read the attestations of ${repositoryOf(ref)}@${digest}: ${describeError(error)}`,
        severity: 'warning',
      })
    }
  }
}
