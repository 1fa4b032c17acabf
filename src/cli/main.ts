import { Command, CommanderError } from 'commander'
import { ToolError, describeError, type Diagnostic } from '../core/index.js'
import { EXIT, processIo, type CliIo } from './io.js'
import { ConfigError, SelectionError } from '../app/index.js'
import { policiesCommand } from './policies-command.js'
import { hookCommand } from './hook-command.js'
import { scanCommand } from './scan-command.js'
import { fixCommand } from './fix-command.js'
import { testCommand } from './test-command.js'
import { exportCommand } from './export-command.js'
import { secretsCommand } from './secrets-command.js'
import { verifyCommitsCommand } from './verify-commits-command.js'
import { serveCommand } from './serve-command.js'
import { certsCommand } from './certs-command.js'
import { installCommand } from './install-command.js'
import { auditCommand } from './audit-command.js'
import { driftCommand } from './drift-command.js'
import { historyCommand } from './history-command.js'
import { statsCommand } from './stats-command.js'
import { dashboardCommand } from './dashboard-command.js'
import { reportCommand } from './report-command.js'
import { evidenceCommand } from './evidence-command.js'
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
  program.addCommand(scanCommand(io, (c) => (code = c)))
  program.addCommand(fixCommand(io, (c) => (code = c)))
  program.addCommand(policiesCommand(io))
  program.addCommand(testCommand(io, (c) => (code = c)))
  program.addCommand(exportCommand(io, (c) => (code = c)))
  program.addCommand(verifyCommitsCommand(io, (c) => (code = c)))
  program.addCommand(secretsCommand(io, (c) => (code = c)))
  program.addCommand(hookCommand(io, (c) => (code = c)))
  program.addCommand(serveCommand(io, (c) => (code = c)))
  program.addCommand(certsCommand(io, (c) => (code = c)))
  program.addCommand(installCommand(io, (c) => (code = c)))
  program.addCommand(auditCommand(io, (c) => (code = c)))
  program.addCommand(driftCommand(io, (c) => (code = c)))
  program.addCommand(historyCommand(io, (c) => (code = c)))
  program.addCommand(statsCommand(io, (c) => (code = c)))
  program.addCommand(dashboardCommand(io, (c) => (code = c)))
  program.addCommand(reportCommand(io, (c) => (code = c)))
  program.addCommand(evidenceCommand(io, (c) => (code = c)))
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })

  try {
    await program.parseAsync([...argv], { from: 'user' })
    return code
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE
    }
    if (error instanceof ConfigError || error instanceof SelectionError) {
      io.stderr.write(`palisade: ${error.message}\n`)
      // A selection error's message is its diagnostics' messages: print only what they add (where, hint).
      for (const d of error.diagnostics)
        io.stderr.write(error instanceof SelectionError ? formatHint(d) : formatDiagnostic(d))
      return EXIT.USAGE
    }
    if (error instanceof ToolError && error.code !== 'INTERNAL') {
      io.stderr.write(`palisade: ${describeError(error)}\n`)
      if (error.details.hint) io.stderr.write(`  hint: ${error.details.hint}\n`)
      return EXIT.USAGE
    }
    io.stderr.write(
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
