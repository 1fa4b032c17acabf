import type { Finding } from '../core/index.js'
import { jsonFindingsText, sarifResultsText } from '../report/index.js'

/** How a report prints findings while the scan goes on: one file's findings (masked, in report order) as text. */
export interface FindingSerializer {
  /** The text of one file's findings (never called with none). */
  text(findings: readonly Finding[]): string
  /** What goes between two files' texts. */
  separator: string
}

/**
 * Which report a streamed scan prints, as data: every thread of the scan builds the same
 * serializer from it (a function cannot be sent to a worker thread).
 */
export type StreamFormat = { format: 'json' } | { format: 'sarif'; cwd: string | undefined }

/** The serializer of a streamed report, for the run's policies (their ids, in the set's order). */
export function findingSerializer(report: StreamFormat, ids: readonly string[]): FindingSerializer {
  if (report.format === 'json') return { text: jsonFindingsText, separator: ',\n' }
  const order = new Map(ids.map((id, i) => [id, i]))
  return { text: (findings) => sarifResultsText(findings, order, report.cwd), separator: ',\n' }
}
