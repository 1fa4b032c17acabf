/**
 * Reports: pure functions from a CheckResult to text, JSON, SARIF, JUnit or Markdown. No I/O, no
 * clock; everything that varies between runs comes in FormatOptions.
 */
export { formatResult, FORMAT_NAMES, isFormatName } from './registry.js'
export type { FixEdit, FormatName, FormatOptions, Formatter, NotScanned } from './types.js'
export { formatText } from './text.js'
export { formatJson, formatJsonChunks, formatJsonReport } from './json.js'
export { jsonFindingsText } from './json-finding.js'
export type { JsonReportParts } from './json.js'
export { formatSarif, formatSarifChunks, formatSarifReport, sarifResultsText } from './sarif.js'
export type { SarifReportParts } from './sarif.js'
export { formatJunit } from './junit.js'
export { formatMarkdown } from './markdown.js'
export {
  formatPolicyReport,
  policyReports,
  POLICY_REPORT_LABEL,
  POLICY_REPORT_MANAGER,
  POLICY_REPORT_NAME,
} from './policyreport.js'
export { printable, printableLines } from './printable.js'
export { sortFindings } from './ordering.js'
