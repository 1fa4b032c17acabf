import type { Severity } from '../core/index.js'
import { DEFAULT_ENTROPY, type EntropyThresholds } from './entropy.js'
import { ASSIGNMENT_RULES, judgeAssignment, SECRET_WORD } from './keyed-rules.js'
import { hasTokenKeyword } from './keyword-memo.js'
import { TOKEN_RULES } from './token-rules.js'

/** A secret found in a text, with its place. Internal: holds the value, never printed. */
export interface TextHit {
  rule: string
  title: string
  severity: Severity
  /** 0-based offsets of the secret in the text. */
  start: number
  end: number
  secret: string
}

/** What the text scanner looks for. */
export interface TextScanOptions {
  entropy?: EntropyThresholds
  /** Also report high-entropy values of `KEY=value` lines (default true). */
  entropyRule?: boolean
  /** Also judge `key: value` / `KEY=value` lines by their key (default true). */
  assignments?: boolean
}

// KEY=value, export KEY=value, key: value, "key": "value", key = "value", <key>value</key> is not covered.
const ASSIGNMENT =
  /^[ \t]*(?:export[ \t]+|set[ \t]+|-[ \t]+)?["']?(?<key>[A-Za-z_][A-Za-z0-9_.\-[\]]{0,80})["']?[ \t]*(?::|=|:=|=>)[ \t]*(?<q>["'`]?)(?<value>[^\s"'`#;,]+)\k<q>[ \t]*[,;]?[ \t]*(?:#.*)?$/gm

/**
 * Find credentials in any text: token rules (provider formats, private keys, URLs with
 * passwords) over the whole text, then `key = value` lines judged by their key name and
 * by entropy. Overlapping hits keep the most specific rule.
 */
export function scanText(text: string, options: TextScanOptions = {}): TextHit[] {
  const hits: TextHit[] = []
  const overlaps = (start: number, end: number): boolean => hits.some((h) => start < h.end && h.start < end)
  const candidates = hasTokenKeyword(text) ? TOKEN_RULES.filter((r) => r.keywords.some((k) => text.includes(k))) : []
  for (const rule of candidates) {
    rule.pattern.lastIndex = 0
    for (const match of text.matchAll(rule.pattern)) {
      const secret = match.groups?.s ?? match[0]
      const start = (match.index ?? 0) + match[0].indexOf(secret)
      const end = start + secret.length
      if (overlaps(start, end)) continue
      if (rule.accept && !rule.accept(secret, text)) continue
      hits.push({ rule: rule.id, title: rule.title, severity: rule.severity, start, end, secret })
    }
  }
  if (options.assignments === false) return hits.sort((a, b) => a.start - b.start)
  const thresholds = options.entropy ?? DEFAULT_ENTROPY
  const entropyRule = options.entropyRule ?? true
  if (!mayJudgeAssignments(text, thresholds, entropyRule)) return hits.sort((a, b) => a.start - b.start)
  for (const match of text.matchAll(ASSIGNMENT)) {
    const key = match.groups?.key as string
    const value = match.groups?.value as string
    const start = (match.index ?? 0) + match[0].lastIndexOf(value)
    const end = start + value.length
    if (overlaps(start, end)) continue
    const hit = judgeAssignment(key, value, thresholds, entropyRule)
    if (!hit) continue
    const rule = ASSIGNMENT_RULES[hit.rule]
    hits.push({ rule: hit.rule, title: rule.title, severity: rule.severity, start, end, secret: value })
  }
  return hits.sort((a, b) => a.start - b.start)
}

/**
 * The alphabet a random-looking value is written in (see looksRandom), by character code:
 * 1 lowercase letter, 2 uppercase letter, 4 digit, 8 any other character of it, 0 outside it.
 */
const TOKEN_CLASS = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c)
  TOKEN_CLASS[c] = /[a-z]/.test(ch) ? 1 : /[A-Z]/.test(ch) ? 2 : /[0-9]/.test(ch) ? 4 : /[+/=_\-.~]/.test(ch) ? 8 : 0
}

/**
 * The assignment rules' prefilter, one pass or two over the text: false when no line can be
 * judged a secret, because no key can be a secret's name (no secret word anywhere) and no
 * value can look random (no run of the token alphabet long enough with lower and upper case
 * letters and digits). A properties file in a ConfigMap is mostly such lines, each of
 * which would otherwise be matched, split and judged.
 */
export function mayJudgeAssignments(text: string, thresholds: EntropyThresholds, entropyRule: boolean): boolean {
  if (SECRET_WORD.test(text)) return true
  if (!entropyRule) return false
  return hasRandomLookingRun(text, thresholds.minLength)
}

/**
 * True when a run of the token alphabet of at least `minLength` characters holds a
 * lowercase and an uppercase letter and a digit. Such a run holds an uppercase letter, so
 * only the runs around the uppercase letters a regex finds are measured: a properties file
 * in a ConfigMap is mostly lowercase, and irregexp passes over it several times faster than a
 * loop of `charCodeAt` (the dense corpus's ConfigMap texts: ~0.7 against ~4.3 ns per
 * character). Each run is measured once: the search goes on after its end.
 */
export function hasRandomLookingRun(text: string, minLength: number): boolean {
  UPPERCASE.lastIndex = 0
  while (UPPERCASE.test(text)) {
    const at = UPPERCASE.lastIndex - 1
    let seen = 0
    let start = at
    while (start > 0) {
      const cls = classAt(text, start - 1)
      if (cls === 0) break
      seen |= cls
      start--
    }
    let end = at + 1
    while (end < text.length) {
      const cls = classAt(text, end)
      if (cls === 0) break
      seen |= cls
      end++
    }
    if (end - start >= minLength && (seen & 5) === 5) return true
    UPPERCASE.lastIndex = end
  }
  return false
}

/** An uppercase letter: every random-looking run holds one. Global, for its lastIndex; only hasRandomLookingRun uses it. */
const UPPERCASE = /[A-Z]/g

/** TOKEN_CLASS of the character at `i` (0 outside the alphabet). */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i)
  return c < 128 ? (TOKEN_CLASS[c] as number) : 0
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: offset - lineStart + 1 }
}
