import type { StreamedScan, StreamFormat, StreamTuning } from '../app/index.js'
import { ToolError } from '../core/index.js'
import { formatJsonReport, formatSarifReport, type FormatName, type FormatOptions } from '../report/index.js'
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

/** The streamed report of the chosen format, as the scan's threads build it. */
export function streamFormat(format: FormatName, cwd: string): StreamFormat {
  if (format === 'json') return { format: 'json' }
  if (format !== 'sarif') throw new Error(`the ${format} report does not stream`)
  return { format: 'sarif', cwd }
}

/**
 * How the streaming scan runs: PALISADE_THREADS=N uses N threads (1: the main thread alone),
 * else the scan chooses by the files' bytes.
 */
export function streamTuning(env: Readonly<Record<string, string | undefined>>): StreamTuning {
  const threads = env.PALISADE_THREADS
  if (threads === undefined || threads === '') return {}
  const n = Number(threads)
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new ToolError('USAGE', `PALISADE_THREADS=${threads} is not a number of threads`, {
      hint: 'a whole number from 1 to 64; 1 scans on the main thread alone',
    })
  return { threads: n }
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
export async function writeWithBackpressure(
  stream: NodeJS.WritableStream,
  pieces: Iterable<string | Uint8Array>,
): Promise<void> {
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
