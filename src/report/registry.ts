import { ToolError, type CheckResult } from '../core/index.js'
import { formatJson } from './json.js'
import { formatJunit } from './junit.js'
import { formatMarkdown } from './markdown.js'
import { formatPolicyReport } from './policyreport.js'
import { formatSarif } from './sarif.js'
import { formatText } from './text.js'
import type { FormatName, FormatOptions, Formatter } from './types.js'

/** Every format by name. A new format is one file and one line here (and its name in FormatName). */
const FORMATTERS: Readonly<Record<FormatName, Formatter>> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  markdown: formatMarkdown,
  policyreport: formatPolicyReport,
}

/** The format names, in the order help texts list them. */
export const FORMAT_NAMES: readonly FormatName[] = Object.keys(FORMATTERS) as FormatName[]

/** Type guard for user input (`--format`). */
export function isFormatName(value: unknown): value is FormatName {
  return typeof value === 'string' && Object.hasOwn(FORMATTERS, value)
}

/**
 * Render a check result in the named format.
 *
 * @example
 * const report = formatResult(result, 'sarif', { color: false, toolVersion: VERSION, cwd: io.cwd })
 */
export function formatResult(result: CheckResult, format: FormatName, options: FormatOptions): string {
  if (!isFormatName(format))
    throw new ToolError('USAGE', `unknown format "${String(format)}"`, {
      hint: `use one of: ${FORMAT_NAMES.join(', ')}`,
    })
  return FORMATTERS[format](result, options)
}
