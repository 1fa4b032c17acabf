import { Command, Option } from 'commander'
import { maskedFixOutcome, redactedResult, runFix } from '../app/index.js'
import { formatFixDiff, formatFixJson, formatFixMarkdown, formatFixText } from '../fix/index.js'
import { redactSecretsInString } from '../git/index.js'
import { printable } from '../report/index.js'
import { exitCodeFor } from '../pipeline/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import { fixSarif } from './fix-sarif.js'
import { EXIT, type CliIo } from './io.js'
import { writeOutputFile } from './output-files.js'
import { createProgress } from './progress.js'

const FIX_FORMATS = ['text', 'json', 'sarif', 'markdown'] as const

interface FixFlags {
  format: (typeof FIX_FORMATS)[number]
  output?: string
  env?: string
  policies?: string
  policyDir?: string
  config?: string
  unsafe?: boolean
  dryRun?: boolean
  staged?: boolean
  render: boolean
  helm?: string
  kubectl?: string
  kustomize?: string
  progress?: boolean
}

/** `palisade fix`: apply the policies' fixes to the source files, proven by a re-scan. */
export function fixCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('fix')
    .description(
      'Apply the fixes of the findings to the manifest files, keeping comments and layout; every edit is proven by a re-scan or rolled back.',
    )
    .argument('[paths...]', 'files and folders to fix', ['.'])
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format: text (what changed), json (every edit), sarif (findings with their fixes), markdown (a diff per finding)',
      )
        .choices(FIX_FORMATS)
        .default('text'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-e, --env <name>', 'treat every resource as in this environment (overrides palisade.yaml paths)')
    .option(
      '-p, --policies <list>',
      'policy sets and ids, comma-separated: all, pss-baseline, pss-restricted, best-practices, <policy-id>',
    )
    .option(
      '--policy-dir <dir>',
      'also run the Kyverno policies and ValidatingAdmissionPolicies found in the YAML files of this folder',
    )
    .option(
      '-c, --config <file>',
      'configuration file (default: palisade.yaml in the scanned folder or the working directory)',
    )
    .option(
      '--unsafe',
      'also apply unsafe fixes (they may change how the workload runs: runAsNonRoot, drop ALL capabilities, seccomp, read-only root filesystem)',
    )
    .option(
      '--staged',
      'fix the staged manifest files (plain files; those with unstaged changes are left out) and stage the fixed ones again: what the pre-commit hook offers',
    )
    .option('--dry-run', 'change nothing: print the unified diff of what would change (text format)')
    .option(
      '--no-render',
      'fix plain manifest files only: do not render Helm charts, Kustomize overlays, Argo CD or Flux applications',
    )
    .option('--helm <path>', 'helm binary for rendering charts (default: the project-local .tools/bin/helm, then PATH)')
    .option(
      '--kubectl <path>',
      'kubectl binary for `kubectl kustomize` (default: the project-local .tools/bin/kubectl, then PATH)',
    )
    .option('--kustomize <path>', 'a kustomize binary to use instead of kubectl (`kustomize build`)')
    .option('--progress', 'show progress on stderr even when it is not a terminal')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: FixFlags) => {
      setExit(await runFixCommand(paths, flags, io))
    })
}

async function runFixCommand(paths: string[], flags: FixFlags, io: CliIo): Promise<number> {
  const progress = createProgress(io, flags.progress === true)
  const run = await runFix(
    {
      ...flags,
      paths,
      unsafe: flags.unsafe === true,
      dryRun: flags.dryRun === true,
      staged: flags.staged === true,
      maxFileSize: DEFAULT_MAX_FILE_BYTES,
      kubernetesVersion: '1.35',
      onProgress: progress.update,
      onProgressDone: progress.done,
    },
    io,
  )
  const { before } = run
  // Diffs and edits show the user's own files: secrets in them are masked as the scan's code frames mask them.
  const outcome = maskedFixOutcome(run.outcome)
  const report =
    flags.format === 'json'
      ? formatFixJson(outcome)
      : flags.format === 'markdown'
        ? formatFixMarkdown(outcome)
        : flags.format === 'sarif'
          ? fixSarif(redactedResult(before), outcome, io.cwd)
          : outcome.dryRun
            ? formatFixDiff(outcome) + formatFixText(outcome, printable)
            : formatFixText(outcome, printable)
  // And the token rules over the whole report (file names, messages), as in every other report.
  const text = redactSecretsInString(report)
  if (flags.output !== undefined) await writeOutputFile(io.cwd, flags.output, text)
  else io.stdout.write(text)
  // Files that could not be read, parsed or rendered block the exit code: say which and why.
  for (const d of run.after.diagnostics) {
    const at = d.span ? `${d.span.file}:${d.span.start.line}: ` : ''
    io.stderr.write(printable(redactSecretsInString(`palisade: ${d.severity ?? 'error'}: ${at}${d.message}`)) + '\n')
  }
  return exitCodeFor(run.after, run.rule) === 1 ? EXIT.DENIED : EXIT.OK
}

const EXAMPLES = `
Examples:
  palisade fix                          apply the safe fixes under the working folder
  palisade fix k8s/ --dry-run           print the diff, change nothing
  palisade fix . --unsafe --policies pss-restricted
  palisade fix . --format json          list every edit (file, lines, before, after, policies, fingerprints)
  palisade fix . --dry-run --format sarif -o fixes.sarif   findings with fixes for code scanning
  palisade fix --staged                 fix what is staged for the next commit, and stage the fixes

Where the edit goes: plain files in place (comments, layout, quoting, line endings kept);
a Helm chart's field in the values file that sets it (the environment's, when that is
where it is set) or in literal template text; a Kustomize field in the base, patch or
component that writes it. Computed values are left, with the reason.

Every run proves its edits: the edited files are checked again (charts and overlays
rendered again), and a file whose fixed findings are still reported, that brings a new
finding or error, breaks a render, or that a second run would change again, is put back
as it was (reported as rolled back).

Exit codes as for scan, on what remains after fixing (with --dry-run: on what is there now).`
