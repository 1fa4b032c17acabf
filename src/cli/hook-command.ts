import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command } from 'commander'
import { checkStaged } from '../app/index.js'
import { ToolError } from '../core/index.js'
import { hooksDir, openRepository } from '../git/index.js'
import { exitCodeFor } from '../pipeline/index.js'
import { EXIT, type CliIo } from './io.js'
import { reportOptions, writeReport, type ReportFlags } from './write-report.js'

const MARKER = '# palisade-hook v1'

/** `palisade hook install | run`: the Git pre-commit hook. */
export function hookCommand(io: CliIo, setExit: (code: number) => void): Command {
  const hook = new Command('hook').description(
    'Set up and run the Git pre-commit hook: staged manifests against the policies, staged files for secrets.',
  )
  hook
    .command('install')
    .description(
      'Write .git/hooks/pre-commit (or into core.hooksPath) so that every commit runs `palisade hook run pre-commit`.',
    )
    .option(
      '--command <cmd>',
      'how the hook starts Palisade (default: this Palisade, by the absolute paths of node and bin/palisade.js)',
    )
    .option('--force', 'replace a pre-commit hook that Palisade did not write')
    .action(async (flags: { command?: string; force?: boolean }) => {
      setExit(await install(flags, io))
    })
  const run = hook
    .command('run')
    .description(
      'What the hook runs: check the staged content (the index, not the working tree); exit 1 when a finding blocks.',
    )
    .argument('<hook>', 'the hook being run: pre-commit')
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml in the working directory)')
  reportOptions(run).action(async (name: string, flags: ReportFlags & { config?: string }) => {
    if (name !== 'pre-commit')
      throw new ToolError('USAGE', `unknown hook "${name}"`, { hint: 'palisade installs and runs pre-commit only' })
    setExit(await preCommit(flags, io))
  })
  hook.addHelpText('after', EXAMPLES)
  for (const sub of hook.commands)
    sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
  return hook
}

/** Where this Palisade is: the node binary running it and its bin/palisade.js (from dist/cli, dist/bundle or src/cli alike). */
export function thisPalisade(): { node: string; entry: string } {
  return { node: process.execPath, entry: fileURLToPath(new URL('../../bin/palisade.js', import.meta.url)) }
}

/** A word the shell takes literally: single-quoted, with each ' written as '\''. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * The hook script: starts Palisade with `hook run pre-commit`, passing git's exit semantics
 * through. By default it runs the Palisade that installed it (absolute paths of node and
 * bin/palisade.js), so it works in a repository that does not install Palisade itself; when
 * that installation is gone, the hook says so and stops the commit.
 */
export function hookScript(
  command: string | undefined,
  palisade: { node: string; entry: string } = thisPalisade(),
): string {
  const start =
    command === undefined
      ? [
          `node=${shellQuote(palisade.node)}`,
          `palisade=${shellQuote(palisade.entry)}`,
          'if [ ! -x "$node" ] || [ ! -f "$palisade" ]; then',
          `  printf 'palisade pre-commit hook: the Palisade that installed this hook is gone (%s with %s).\\n' "$palisade" "$node" >&2`,
          `  printf '  Run palisade hook install again from the Palisade to use, or skip this check once with git commit --no-verify.\\n' >&2`,
          '  exit 1',
          'fi',
          'exec "$node" "$palisade" hook run pre-commit',
        ]
      : [`exec ${command} hook run pre-commit`]
  return [
    '#!/bin/sh',
    MARKER,
    '# Installed by `palisade hook install`: checks the staged manifests against the policies and',
    '# every staged file for secrets. Skip once with `git commit --no-verify`.',
    ...start,
    '',
  ].join('\n')
}

async function install(flags: { command?: string; force?: boolean }, io: CliIo): Promise<number> {
  const repo = await openRepository(io.cwd)
  const dir = await hooksDir(repo)
  const file = path.join(dir, 'pre-commit')
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw new ToolError('FILE_UNREADABLE', `cannot read ${file}`, { cause: error })
  })
  if (existing !== undefined && !existing.includes(MARKER) && !flags.force) {
    throw new ToolError(
      'USAGE',
      `${path.relative(io.cwd, file) || file} already exists and was not written by Palisade`,
      {
        hint: 'add `palisade hook run pre-commit` to it yourself, or replace it with --force (the old one is kept as pre-commit.before-palisade)',
      },
    )
  }
  if (existing !== undefined && !existing.includes(MARKER))
    await writeFile(`${file}.before-palisade`, existing, { mode: 0o755 })
  await mkdir(dir, { recursive: true })
  await writeFile(file, hookScript(flags.command), { mode: 0o755 })
  await chmod(file, 0o755)
  io.stdout.write(`Installed the pre-commit hook at ${path.relative(io.cwd, file) || file}\n`)
  return EXIT.OK
}

async function preCommit(flags: ReportFlags & { config?: string }, io: CliIo): Promise<number> {
  const staged = await checkStaged(flags.config === undefined ? {} : { config: flags.config }, io)
  if (!staged) return EXIT.OK
  const { result, rule } = staged
  // A clean commit stays quiet; anything found is reported in full.
  if (result.findings.length > 0 || result.diagnostics.length > 0) await writeReport(result, flags, io, rule)
  const blocks = exitCodeFor(result, rule) === 1
  // The fix is one command away: offer it when a finding has a safe fix.
  const fixable = result.findings.filter((f) => f.status === 'fail' && !f.waiver && f.fix?.safety === 'safe').length
  if (blocks && fixable > 0)
    io.stderr.write(
      `palisade: ${fixable} finding${fixable === 1 ? ' has a' : 's have'} safe fix${fixable === 1 ? '' : 'es'}: run \`palisade fix --staged\` to apply them to the staged files (and stage them), then commit again.\n`,
    )
  return blocks ? EXIT.DENIED : EXIT.OK
}

const EXAMPLES = `
Examples:
  palisade hook install                  in a clone: every git commit now runs the checks
  palisade hook install --command "node ./node_modules/palisade/bin/palisade.js"
  git commit --no-verify                 skip the hook once

With the pre-commit framework (https://pre-commit.com), use this repository's
.pre-commit-hooks.yaml instead:
  repos:
    - repo: https://github.com/palisade-dev/palisade
      rev: v0.1.0
      hooks:
        - id: palisade`
