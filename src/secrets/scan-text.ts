import type { Severity } from '../core/index.js'
import { DEFAULT_ENTROPY, type EntropyThresholds } from './entropy.js'
import { ASSIGNMENT_RULES, judgeAssignment, SECRET_WORD } from './keyed-rules.js'
import { ANY_KEYWORD, TOKEN_RULES } from './token-rules.js'

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
  const candidates = ANY_KEYWORD.test(text) ? TOKEN_RULES.filter((r) => r.keywords.some((k) => text.includes(k))) : []
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

/** A run of the alphabet a random-looking value is written in (see looksRandom). */
const TOKEN_RUN = /[A-Za-z0-9+/=_\-.~]+/g

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
  for (const match of text.matchAll(TOKEN_RUN)) {
    const run = match[0]
    if (run.length >= thresholds.minLength && /[a-z]/.test(run) && /[A-Z]/.test(run) && /[0-9]/.test(run)) return true
  }
  return false
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
