import { type Diagnostic, type SourceSpan } from '../core/index.js'
import type { ReviewConfig, SecretsConfig, SigningConfig } from './gate-types.js'

/** The gate sections as they come out of the schema check. */
export interface RawGateConfig {
  signing?: {
    allowedSigners?: string
    openpgpKeys?: string[]
    groups?: Record<string, string[]>
    rules?: { paths: string[]; groups: string[] }[]
  }
  secrets?: { allow?: { fingerprint: string; reason: string }[]; entropy?: SecretsConfig['entropy'] }
  review?: { action?: ReviewConfig['action']; owners?: { paths: string[]; owners: string[] }[] }
}

/**
 * Turn the schema-checked gate sections into configuration, checking what the schema
 * cannot: signing rules name defined groups, and no fingerprint is allowed twice.
 */
export function parseGateSections(
  raw: RawGateConfig,
  span: (pointer: string) => SourceSpan,
  diagnostics: Diagnostic[],
): { signing?: SigningConfig; secrets?: SecretsConfig; review?: ReviewConfig } {
  const out: { signing?: SigningConfig; secrets?: SecretsConfig; review?: ReviewConfig } = {}
  if (raw.signing) {
    const groups = raw.signing.groups ?? {}
    const rules = (raw.signing.rules ?? []).map((r, i) => {
      r.groups.forEach((g, j) => {
        if (!Object.hasOwn(groups, g)) {
          diagnostics.push({
            code: 'CONFIG_INVALID',
            message: `signing rule names group "${g}", which signing.groups does not define`,
            span: span(`/signing/rules/${i}/groups/${j}`),
            hint: `define it: signing.groups.${g}: [principal, ...]`,
          })
        }
      })
      return { paths: r.paths, groups: r.groups, span: span(`/signing/rules/${i}`) }
    })
    out.signing = {
      ...(raw.signing.allowedSigners === undefined ? {} : { allowedSigners: raw.signing.allowedSigners }),
      openpgpKeys: raw.signing.openpgpKeys ?? [],
      groups,
      rules,
    }
  }
  if (raw.secrets) {
    const seen = new Set<string>()
    const allow = (raw.secrets.allow ?? []).map((a, i) => {
      if (seen.has(a.fingerprint))
        diagnostics.push({
          code: 'CONFIG_INVALID',
          message: `fingerprint ${a.fingerprint} is allowed twice`,
          span: span(`/secrets/allow/${i}/fingerprint`),
        })
      seen.add(a.fingerprint)
      return { fingerprint: a.fingerprint, reason: a.reason, span: span(`/secrets/allow/${i}`) }
    })
    out.secrets = { allow, ...(raw.secrets.entropy ? { entropy: raw.secrets.entropy } : {}) }
  }
  if (raw.review) out.review = { action: raw.review.action ?? 'warn', owners: raw.review.owners ?? [] }
  return out
}
