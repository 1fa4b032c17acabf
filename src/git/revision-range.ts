import { ToolError } from '../core/index.js'

/** A range as a pull-request gate is given it: `A..B`, `A...B`, or a single ref. */
export interface RevisionRange {
  form: 'single' | 'two-dot' | 'three-dot'
  /** The base (A); for a single ref, the ref itself. */
  base: string
  /** The head (B); undefined for a single ref (HEAD is meant). */
  head?: string
}

// `@{upstream}`, `@{u}`, `@{push}` after a branch (or alone: the current branch's), then `~N` / `^N` steps.
const SUFFIX = /^(.*?)(@\{(?:upstream|u|push)\})?((?:[~^]\d{0,6}){0,16})$/
// check-ref-format: no control characters, space, ~ ^ : ? * [ \ in a component.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\x00-\x20\x7f~^:?*[\\]/
const MAX = 1024

// Shown escaped: no control or bidi character of the input reaches the terminal.
const shown = (text: string): string =>
  `"${text.replace(/[\p{Cc}\p{Cf}"\\]/gu, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`)}"`

// --baseline takes one revision; verify-commits and secrets --git a range.
const usage = (what: string, given: string, why: string): ToolError =>
  new ToolError('USAGE', `${what}: ${shown(given)} is not a revision: ${why}`, {
    hint: `give a branch, tag or commit (origin/main, v1.2.0, a full SHA, HEAD~3)${what === '--baseline' ? '' : ', optionally as A..B or A...B'}`,
  })

/**
 * Check one revision as git's `check-ref-format` would a ref name, plus what CI passes:
 * full or abbreviated SHAs, `HEAD~N` / `^N` steps, `@{upstream}`. Whatever could be read
 * as an option (a leading `-`), whitespace, control characters, `..`, `:`, globs, `@{`
 * other than the upstream forms and reflog selectors are refused (a usage error, exit 2)
 * before the text reaches any git command line. Returns the revision unchanged.
 */
export function checkRevision(rev: string, what: string): string {
  if (rev === '') throw usage(what, rev, 'it is empty')
  if (rev.length > MAX) throw usage(what, rev.slice(0, 40) + '...', `longer than ${MAX} characters`)
  if (rev.startsWith('-')) throw usage(what, rev, 'it starts with "-" (it would be read as an option)')
  if (/[\s\p{Cc}\p{Cf}]/u.test(rev))
    throw usage(what, rev, 'it contains whitespace, control or invisible format characters')
  const [, name = '', upstream] = SUFFIX.exec(rev) ?? []
  if (name === '' && upstream === undefined) throw usage(what, rev, 'it names no ref before its ~ or ^ steps')
  if (name === '' || name === '@' || name === 'HEAD') return rev
  if (name.includes('..')) throw usage(what, rev, 'it contains ".." more than once or inside a name')
  if (name.includes('@{')) throw usage(what, rev, 'reflog selectors (@{...}) other than @{upstream} are not accepted')
  if (name.endsWith('.') || name.endsWith('/') || name.startsWith('/'))
    throw usage(what, rev, 'a ref name does not begin or end with "/" or end with "."')
  for (const part of name.split('/')) {
    if (part === '') throw usage(what, rev, 'a ref name has no empty component ("//")')
    if (part.startsWith('.') || part.endsWith('.lock'))
      throw usage(what, rev, 'a ref name component does not begin with "." or end with ".lock"')
    if (FORBIDDEN.test(part))
      throw usage(what, rev, 'a ref name has none of ~ ^ : ? * [ \\ (only ~N and ^N at its end)')
  }
  return rev
}

/** Split and check a range: `A...B` and `A..B` (both sides required), or a single revision. */
export function parseRevisionRange(text: string, what: string): RevisionRange {
  if (text.startsWith('-')) throw usage(what, text, 'it starts with "-" (it would be read as an option)')
  const three = text.indexOf('...')
  const two = text.indexOf('..')
  if (two < 0) return { form: 'single', base: checkRevision(text, what) }
  const [form, at, width] =
    three >= 0 && three === two ? (['three-dot', three, 3] as const) : (['two-dot', two, 2] as const)
  const base = text.slice(0, at)
  const head = text.slice(at + width)
  if (base === '' || head === '')
    throw usage(what, text, `both sides of ${form === 'three-dot' ? '...' : '..'} are needed (e.g. origin/main..HEAD)`)
  return { form, base: checkRevision(base, what), head: checkRevision(head, what) }
}
