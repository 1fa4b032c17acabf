import type { FindingSerializer, StreamedScan } from '../app/index.js'
import type { PolicyMeta } from '../core/index.js'
import {
  formatJsonReport,
  formatSarifReport,
  jsonFindingsText,
  sarifResultsText,
  type FormatName,
  type FormatOptions,
} from '../report/index.js'
import type { CliIo } from './io.js'
import { writeOutputFile } from './output-files.js'

/** The flags that decide whether a scan's report can be written while the files are checked. */
export interface StreamFlags {
  format: FormatName
  output?: string
  baseline?: string
  validateSchema?: boolean
  record?: boolean
}

/**
 * Whether the report streams: JSON and SARIF (the findings come after the summary and the
 * rules, so they are spooled).
 * A baseline comparison, --validate-schema and --record need the whole result, and the
 * text and Markdown reports print code frames from the sources and group by file.
 */
export function streamsReport(flags: StreamFlags): boolean {
  return (
    (flags.format === 'json' || flags.format === 'sarif') &&
    flags.baseline === undefined &&
    flags.validateSchema !== true &&
    flags.record !== true
  )
}

/** How the chosen format prints a file's findings, for the run's policies. */
export function findingSerializer(
  format: FormatName,
  cwd: string,
): (policies: ReadonlyMap<string, PolicyMeta>) => FindingSerializer {
  return (policies) => {
    if (format === 'json') return { text: jsonFindingsText, separator: ',\n' }
    if (format !== 'sarif') throw new Error(`the ${format} report does not stream`)
    const order = new Map([...policies.keys()].map((id, i) => [id, i]))
    return { text: (findings) => sarifResultsText(findings, order, cwd), separator: ',\n' }
  }
}

/** Print a streamed scan's report to --output or stdout. */
export async function printStreamed(
  run: StreamedScan,
  flags: StreamFlags,
  options: FormatOptions,
  io: CliIo,
): Promise<void> {
  const chunks =
    flags.format === 'json'
      ? formatJsonReport({ ...run, findingText: run.findingText() }, options)
      : formatSarifReport({ ...run, resultsText: run.findingText() }, options)
  if (flags.output !== undefined) await writeOutputFile(io.cwd, flags.output, chunks)
  else await writeWithBackpressure(io.stdout, chunks)
}

/**
 * Write pieces to a stream, waiting when it asks (a pipe to a slow reader): otherwise every
 * piece of a large report would queue in memory, which streaming is there to avoid.
 */
export async function writeWithBackpressure(stream: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  for (const piece of pieces) {
    if (stream.write(piece)) continue
    await new Promise<void>((resolve) => {
      const done = (): void => {
        stream.off('drain', done)
        stream.off('close', done)
        stream.off('error', done)
        resolve()
      }
      stream.on('drain', done)
      stream.on('close', done)
      stream.on('error', done)
    })
  }
}
