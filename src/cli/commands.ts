import type { Command } from 'commander'
import type { CliIo } from './io.js'

/** Builds one top-level command; `setExit` receives its exit code. */
export type CommandFactory = (io: CliIo, setExit: (code: number) => void) => Command

/**
 * The top-level commands, in the order `palisade --help` lists them, each loaded only when
 * asked for: a run needs the modules of its own command, and loading all of them (the
 * webhook server, the store, the Rego engine, the supply-chain checks...) was a third of a
 * small scan's start-up. Each name must be the name of the command its loader builds
 * (commands.test.ts checks).
 */
export const COMMANDS: readonly (readonly [name: string, load: () => Promise<CommandFactory>])[] = [
  ['scan', async () => (await import('./scan-command.js')).scanCommand],
  ['fix', async () => (await import('./fix-command.js')).fixCommand],
  [
    'policies',
    async () => {
      const { policiesCommand } = await import('./policies-command.js')
      return (io) => policiesCommand(io)
    },
  ],
  ['test', async () => (await import('./test-command.js')).testCommand],
  ['export', async () => (await import('./export-command.js')).exportCommand],
  ['verify-commits', async () => (await import('./verify-commits-command.js')).verifyCommitsCommand],
  ['secrets', async () => (await import('./secrets-command.js')).secretsCommand],
  ['hook', async () => (await import('./hook-command.js')).hookCommand],
  ['serve', async () => (await import('./serve-command.js')).serveCommand],
  ['certs', async () => (await import('./certs-command.js')).certsCommand],
  ['install', async () => (await import('./install-command.js')).installCommand],
  ['audit', async () => (await import('./audit-command.js')).auditCommand],
  ['drift', async () => (await import('./drift-command.js')).driftCommand],
  ['history', async () => (await import('./history-command.js')).historyCommand],
  ['stats', async () => (await import('./stats-command.js')).statsCommand],
  ['dashboard', async () => (await import('./dashboard-command.js')).dashboardCommand],
  ['report', async () => (await import('./report-command.js')).reportCommand],
  ['evidence', async () => (await import('./evidence-command.js')).evidenceCommand],
]

/**
 * The commands a run with these arguments needs: none to print the version, the one it names
 * first, or all of them when it names none (`palisade --help`, `palisade help scan`, a mistyped name that commander
 * answers with the list and a suggestion). A command's own help and errors do not depend on
 * its siblings, so a named command alone prints the same as with all of them loaded.
 */
export async function commandsFor(argv: readonly string[]): Promise<CommandFactory[]> {
  if (argv[0] === '--version' || argv[0] === '-V') return []
  const named = COMMANDS.find(([name]) => name === argv[0])
  return Promise.all((named ? [named] : COMMANDS).map(([, load]) => load()))
}
