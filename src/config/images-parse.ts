import { RE2JS } from 're2js'
import { describeError, type Diagnostic, type ImageRule, type Severity, type SourceSpan } from '../core/index.js'

/** The `images:` section as it comes out of the schema check. */
export interface RawImageRule {
  match: string[]
  environments?: string[]
  requireDigest?: boolean
  signatures?: { keys?: string[]; keyless?: { issuer: string; subject: string }[] }
  promotion?: { from: string; minSoak?: string }
  reports?: { maxSeverity?: Severity; fixableOnly?: boolean; noShell?: boolean; allowEol?: boolean }
}

const UNIT_MS: Readonly<Record<string, number>> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }

/** `48h`, `2d`, `1d12h`, `90m` → milliseconds (the schema has checked the shape). */
export function parseDuration(text: string): number {
  let ms = 0
  for (const m of text.matchAll(/(\d+)([dhms])/g)) ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number)
  return ms
}

/**
 * Turn the schema-checked `images:` rules into configuration, checking what the schema
 * cannot: environments named are defined, subjects are valid RE2 expressions, a rule that
 * asks for signatures names at least one key or identity.
 */
export function parseImageRules(
  raw: readonly RawImageRule[],
  environmentNames: ReadonlySet<string>,
  span: (pointer: string) => SourceSpan,
  diagnostics: Diagnostic[],
): ImageRule[] {
  const knownEnv = (name: string, at: string): void => {
    if (environmentNames.size > 0 && !environmentNames.has(name)) {
      diagnostics.push({
        code: 'CONFIG_INVALID',
        message: `images rule names environment "${name}", which environments does not define`,
        span: span(at),
        hint: `define it under environments, or use one of: ${[...environmentNames].join(', ')}`,
      })
    }
  }
  return raw.map((r, i) => {
    const at = `/images/${i}`
    r.environments?.forEach((e, j) => knownEnv(e, `${at}/environments/${j}`))
    const rule: ImageRule = { match: r.match }
    if (r.environments) rule.environments = r.environments
    if (r.requireDigest !== undefined) rule.requireDigest = r.requireDigest
    if (r.signatures) {
      const keys = r.signatures.keys ?? []
      const keyless = r.signatures.keyless ?? []
      keyless.forEach((k, j) => {
        try {
          RE2JS.compile(k.subject)
        } catch (error) {
          diagnostics.push({
            code: 'CONFIG_INVALID',
            message: `keyless subject is not a valid regular expression: ${describeError(error)}`,
            span: span(`${at}/signatures/keyless/${j}/subject`),
          })
        }
      })
      if (keys.length === 0 && keyless.length === 0) {
        diagnostics.push({
          code: 'CONFIG_INVALID',
          message: 'images rule asks for signatures but names no key and no keyless identity',
          span: span(`${at}/signatures`),
          hint: 'add keys: [path/to/cosign.pub] or keyless: [{issuer, subject}]',
        })
      }
      rule.signatures = { keys, keyless }
    }
    if (r.promotion) {
      knownEnv(r.promotion.from, `${at}/promotion/from`)
      const minSoak = r.promotion.minSoak ?? '0s'
      rule.promotion = { from: r.promotion.from, minSoak, minSoakMs: parseDuration(minSoak) }
    }
    if (r.reports) {
      rule.reports = {
        fixableOnly: r.reports.fixableOnly ?? false,
        noShell: r.reports.noShell ?? false,
        allowEol: r.reports.allowEol ?? false,
      }
      if (r.reports.maxSeverity) rule.reports.maxSeverity = r.reports.maxSeverity
    }
    return rule
  })
}
