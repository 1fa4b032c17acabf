import type { FindingSerializer, StreamedScan } from '../app/index.js'
import { formatJsonReport, jsonFindingsText, type FormatName, type FormatOptions } from '../report/index.js'
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
 * Whether the report streams: JSON (the findings come after the summary, so they are spooled).
 * A baseline comparison, --validate-schema and --record need the whole result, and the
 * text and Markdown reports print code frames from the sources and group by file.
 */
export function streamsReport(flags: StreamFlags): boolean {
  return (
    flags.format === 'json' && flags.baseline === undefined && flags.validateSchema !== true && flags.record !== true
  )
}

/** How the chosen format prints a file's findings. */
export function findingSerializer(format: FormatName): FindingSerializer {
  if (format !== 'json') throw new Error(`the ${format} report does not stream`)
  return { text: jsonFindingsText, separator: ',\n' }
}

/** Print a streamed scan's report to --output or stdout. */
export async function printStreamed(
  run: StreamedScan,
  flags: StreamFlags,
  options: FormatOptions,
  io: CliIo,
): Promise<void> {
  const chunks = formatJsonReport(
    {
      summary: run.summary,
      diagnostics: run.diagnostics,
      verdict: run.verdict,
      findingCount: run.findingCount,
      findingText: run.findingText(),
    },
    options,
  )
  if (flags.output !== undefined) await writeOutputFile(io.cwd, flags.output, chunks)
  else for (const chunk of chunks) io.stdout.write(chunk)
}
