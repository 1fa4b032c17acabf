import type { CheckResult, ErrorsMode, Severity } from '../core/index.js'

/** Output formats of `palisade scan --format`. */
export type FormatName = 'text' | 'json' | 'sarif' | 'junit' | 'markdown' | 'policyreport'

/** What a formatter needs besides the result. Everything that varies between runs comes in here. */
export interface FormatOptions {
  /** Text only: every finding in full. Without it, findings of medium, low or info severity get one line each (no details, no code frame). */
  verbose?: boolean
  /** Text only: ANSI colour. The CLI passes true only on a TTY, and never with NO_COLOR. */
  color: boolean
  /** Palisade's version, for SARIF, JSON and JUnit. */
  toolVersion: string
  /** Base for relative paths / SARIF uriBaseId; files in findings are already relative to it when possible. */
  cwd?: string
  /**
   * `--fail-on`: deny findings below this severity do not block. Reports state whether the run
   * blocks, so they must agree with the exit code. Default `info` (every deny finding blocks).
   */
  failOn?: Severity
  /** palisade.yaml `errors:`: whether errors (unread, unparsed, unrendered files; policies that could not evaluate) block. Default `block`. */
  errors?: ErrorsMode
  /**
   * Markdown only: where file links point. Without it links are relative to the working
   * folder. `blobBase` is e.g. `https://github.com/org/repo/blob/<sha>/`, and `pathPrefix`
   * the working folder's path inside the repository ('' or `sub/dir/`).
   */
  links?: { blobBase: string; pathPrefix: string }
  /**
   * Sources the scan found but did not check (an Argo CD or Flux application pointing at
   * another repository, a remote chart, a plugin; a render that failed): SARIF gives each a
   * notification, Markdown lists them. Text and JSON have their own sources section.
   */
  notScanned?: readonly NotScanned[]
  /** Text only: sections printed after the problems and before the summary (a GitOps scan's sources), so the verdict stays the last line. */
  beforeSummary?: string
  /**
   * Markdown only (`scan --baseline`): the commit the findings were compared with, so a
   * reviewer knows what "new" and "fixed" are relative to. `ref` is REF as given, `refCommit`
   * what it resolved to, `commit` the one compared with (a merge base, or a synthetic merge's
   * first parent), `reason` why that one.
   */
  baseline?: { ref: string; refCommit: string; commit: string; reason: string }
  /** Markdown only: where the full report is (a file name or URL), said under the tables. */
  fullReport?: string
  /**
   * SARIF only: the edit that fixes a finding, by fingerprint (`palisade fix --format sarif`):
   * whole lines `start` to `end - 1` of `file` (1-based; `start === end` inserts before
   * `start`) become `after`. Each result with one gets a SARIF `fixes` entry.
   */
  fixes?: ReadonlyMap<string, FixEdit>
  /** JSON only: more top-level fields after the contract's (`sources`, `schema` of a GitOps scan). */
  jsonExtra?: Readonly<Record<string, unknown>>
}

/** A single-file edit that fixes one finding (see FormatOptions.fixes). */
export interface FixEdit {
  file: string
  start: number
  end: number
  after: string
  /** What the fix does, for the fix's description. */
  description: string
}

/** A source that was not scanned, and why. */
export interface NotScanned {
  /** What it is, e.g. `Argo CD Application example.plugin-nix`. */
  name: string
  /** The file that declares it, when it is one. */
  file?: string
  status: 'unscanned' | 'failed'
  reason: string
}

/** A formatter: a pure function from a check result to the report's text. */
export type Formatter = (result: CheckResult, options: FormatOptions) => string
