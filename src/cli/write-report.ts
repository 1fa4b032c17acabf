import { Option, type Command } from 'commander'
import { withMaskedStrings } from '../app/index.js'
import type { BlockingRule, CheckResult } from '../core/index.js'
import { FORMAT_NAMES, formatJsonChunks, formatResult, type FormatName, type FormatOptions } from '../report/index.js'
import type { CliIo } from './io.js'
import { writeOutputFile } from './output-files.js'
import { VERSION } from './version.js'

/** Report flags shared by the gate commands. */
export interface ReportFlags {
  format: FormatName
  output?: string
  color?: boolean
}

/** Add --format, --output, --color and --no-color to a command. */
export function reportOptions(command: Command): Command {
  return (
    command
      .addOption(new Option('-f, --format <format>', 'output format').choices(FORMAT_NAMES).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      // --color first: defined before --no-color, the default stays undefined (= decide by the terminal).
      .option('--color', 'colour the text output even when not on a terminal')
      .option('--no-color', 'never colour the text output')
  )
}

/** Render a result in the chosen format and write it to --output or stdout. */
export async function writeReport(
  result: CheckResult,
  flags: ReportFlags,
  io: CliIo,
  extra: BlockingRule & Pick<FormatOptions, 'links' | 'jsonExtra' | 'beforeSummary'> = {},
): Promise<void> {
  const toFile = flags.output !== undefined
  const color =
    flags.format === 'text' && (flags.color ?? (!toFile && io.stdout.isTTY === true && io.env.NO_COLOR === undefined))
  const options: FormatOptions = { color, toolVersion: VERSION, cwd: io.cwd }
  if (extra.failOn !== undefined) options.failOn = extra.failOn
  if (extra.errors !== undefined) options.errors = extra.errors
  if (extra.links !== undefined) options.links = extra.links
  if (extra.jsonExtra !== undefined) options.jsonExtra = extra.jsonExtra
  if (extra.beforeSummary !== undefined) options.beforeSummary = extra.beforeSummary
  // The printer never prints an unmasked string, whichever use case made the result (masking is idempotent).
  const masked = withMaskedStrings(result)
  if (flags.format === 'json') {
    // In pieces, as scan does: an audit of a big cluster is tens of MB of JSON, better not held twice.
    const chunks = formatJsonChunks(masked, options)
    if (toFile) await writeOutputFile(io.cwd, flags.output as string, chunks)
    else for (const chunk of chunks) io.stdout.write(chunk)
    return
  }
  const text = formatResult(masked, flags.format, options)
  if (toFile) await writeOutputFile(io.cwd, flags.output as string, text)
  else io.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
}
