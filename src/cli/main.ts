import { Command, CommanderError } from 'commander'
import { ToolError, describeError, type Diagnostic } from '../core/index.js'
import { EXIT, processIo, type CliIo } from './io.js'
import { commandsFor } from './commands.js'
import { VERSION } from './version.js'

/**
 * Run the CLI with arguments (without `node palisade`); resolves to the exit code.
 * The only place that turns errors into exit codes.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number = EXIT.OK
  const program = new Command('palisade')
    .description('Policy-as-code for Kubernetes GitOps: scan manifests, gate pull requests, enforce at admission.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
  for (const command of await commandsFor(argv)) program.addCommand(command(io, (c) => (code = c)))
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })

  try {
    await program.parseAsync([...argv], { from: 'user' })
    return code
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE
    }
    // Loaded here, not at start-up: the use cases are the named command's to load (commands.ts).
    const [{ ConfigError, SelectionError }, { printableLines }] = await Promise.all([
      import('../app/index.js'),
      import('../report/index.js'),
    ])
    // Messages quote repository text (a key, a file name, a value): no control character of it reaches the terminal.
    const say = (text: string): void => void io.stderr.write(printableLines(text))
    if (error instanceof ConfigError || error instanceof SelectionError) {
      say(`palisade: ${error.message}\n`)
      // A selection error's message is its diagnostics' messages: print only what they add (where, hint).
      for (const d of error.diagnostics) say(error instanceof SelectionError ? formatHint(d) : formatDiagnostic(d))
      return EXIT.USAGE
    }
    if (error instanceof ToolError && error.code !== 'INTERNAL') {
      say(`palisade: ${describeError(error)}\n`)
      if (error.details.hint) say(`  hint: ${error.details.hint}\n`)
      return EXIT.USAGE
    }
    say(
      `palisade: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    return 3
  }
}

function formatHint(d: Diagnostic): string {
  const where = d.span ? `  at ${d.span.file}:${d.span.start.line}:${d.span.start.column}\n` : ''
  return `${where}${d.hint ? `  hint: ${d.hint}\n` : ''}`
}

function formatDiagnostic(d: Diagnostic): string {
  const where = d.span ? `${d.span.file}:${d.span.start.line}:${d.span.start.column}: ` : ''
  return `  ${where}${d.message}${d.hint ? `\n    hint: ${d.hint}` : ''}\n`
}

/**
 * The entry of a streaming scan's worker thread (app/start-stream-worker.ts starts it from the
 * bundle, whose exports are this file's). Loaded on call: other commands never initialise it.
 */
export async function runStreamWorker(): Promise<void> {
  const { runStreamWorker: run } = await import('../app/index.js')
  await run()
}
