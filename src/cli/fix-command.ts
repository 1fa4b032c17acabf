import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Command, Option } from 'commander'
import { createResolver, withLayoutEnvironments } from '../config/index.js'
import { indexPolicies } from '../engine/index.js'
import { formatFixDiff, formatFixJson, formatFixMarkdown, formatFixText, type FileFix, type FixOutcome } from '../fix/index.js'
import { ToolError, type Finding } from '../core/index.js'
import { checkResources, exitCodeFor } from '../pipeline/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import { redactSecretsInString } from '../git/index.js'
import { EXIT, type CliIo } from './io.js'
import { loadConfig } from './load-config.js'
import { buildPolicySet } from './policies.js'
import { loadUserPolicies, withDeclaredActions } from './user-policies.js'
import { createProgress } from './progress.js'
import { scanPolicySpecs } from './scan-gate.js'
import { collectInput } from './scan-input.js'
import { proveFixes, targetsOf } from './fix-run.js'
import { proveRendered, type Rescan } from './fix-rendered.js'
import { fixSarif } from './fix-sarif.js'
import { writeOutputFile } from './output-files.js'

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
  render: boolean
  helm?: string
  kubectl?: string
  kustomize?: string
  progress?: boolean
}

/** `palisade fix`: apply the policies' fixes to the source files, proven by a re-scan. */
export function fixCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('fix')
    .description('Apply the fixes of the findings to the manifest files, keeping comments and layout; every edit is proven by a re-scan or rolled back.')
    .argument('[paths...]', 'files and folders to fix', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format: text (what changed), json (every edit), sarif (findings with their fixes), markdown (a diff per finding)').choices(FIX_FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-e, --env <name>', 'treat every resource as in this environment (overrides palisade.yaml paths)')
    .option('-p, --policies <list>', 'policy sets and ids, comma-separated: all, pss-baseline, pss-restricted, best-practices, <policy-id>')
    .option('--policy-dir <dir>', 'also run the Kyverno policies and ValidatingAdmissionPolicies found in the YAML files of this folder')
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml in the scanned folder or the working directory)')
    .option('--unsafe', 'also apply unsafe fixes (they may change how the workload runs: runAsNonRoot, drop ALL capabilities, seccomp, read-only root filesystem)')
    .option('--dry-run', 'change nothing: print the unified diff of what would change (text format)')
    .option('--no-render', 'fix plain manifest files only: do not render Helm charts, Kustomize overlays, Argo CD or Flux applications')
    .option('--helm <path>', 'helm binary for rendering charts (default: the project-local .tools/bin/helm, then PATH)')
    .option('--kubectl <path>', 'kubectl binary for `kubectl kustomize` (default: the project-local .tools/bin/kubectl, then PATH)')
    .option('--kustomize <path>', 'a kustomize binary to use instead of kubectl (`kustomize build`)')
    .option('--progress', 'show progress on stderr even when it is not a terminal')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: FixFlags) => {
      setExit(await runFix(paths, flags, io))
    })
}

async function runFix(paths: string[], flags: FixFlags, io: CliIo): Promise<number> {
  if (paths.includes('-')) throw new ToolError('USAGE', 'fix edits files: it cannot read stdin', { hint: 'give the files or folders to fix' })
  const config = withLayoutEnvironments(await loadConfig(flags.config, paths, io))
  const builtins = buildPolicySet(config, flags.policies, scanPolicySpecs(config))
  const user = flags.policyDir === undefined ? undefined : loadUserPolicies(flags.policyDir, io.cwd, io.now)
  const policies = user ? indexPolicies([...builtins.policies, ...user.compiled]) : builtins
  const resolver = user ? withDeclaredActions(createResolver(config, io.now()), config, user.declared) : createResolver(config, io.now())
  const progress = createProgress(io, flags.progress === true)
  const inputFlags = { ...flags, maxFileSize: DEFAULT_MAX_FILE_BYTES, kubernetesVersion: '1.35' }
  const input = await collectInput(paths, inputFlags, config, resolver, io, progress)
  progress.done()
  const check = { policies, resolver, unreadFiles: input.unreadable.length, ...(flags.env === undefined ? {} : { environment: flags.env }), ...(input.gitops ? { renderedTexts: input.gitops.texts } : {}) }
  const diagnostics = [...(user?.diagnostics ?? []), ...input.diagnostics]
  const before = checkResources(input.resources, input.sources, [...diagnostics], check)
  const renders = scannedRenders(input)
  const unsafe = flags.unsafe === true
  const proven = proveFixes({ sources: input.sources, resources: input.resources, diagnostics, renders }, before, check, unsafe)
  const outcome: FixOutcome = { ...proven.outcome, dryRun: flags.dryRun === true }
  let after = proven.after
  if (proven.rendered.length > 0) {
    const rescan = async (): Promise<Rescan> => {
      const again = await collectInput(paths, inputFlags, config, resolver, io, createProgress(io, false))
      const againCheck = { ...check, unreadFiles: again.unreadable.length, ...(again.gitops ? { renderedTexts: again.gitops.texts } : {}) }
      const result = checkResources(again.resources, again.sources, [...(user?.diagnostics ?? []), ...again.diagnostics], againCheck)
      return { result, renders: scannedRenders(again), rendered: targetsOf(again, result.findings).rendered, texts: again.gitops?.texts ?? new Map() }
    }
    const roots = paths.map((p) => path.resolve(io.cwd, p))
    const rendered = await proveRendered(proven.rendered, input.gitops?.texts ?? new Map(), { cwd: io.cwd, roots, before, renders, plain: outcome.files, unsafe, rescan })
    if (outcome.dryRun) await rendered.restore()
    outcome.files = [...outcome.files, ...rendered.files]
    outcome.left.push(...rendered.left)
    outcome.rolledBack.push(...rendered.rolledBack)
    if (rendered.after) after = rendered.after
    else if (!outcome.dryRun) await writeFiles(outcome, io)
  } else if (!outcome.dryRun) await writeFiles(outcome, io)

  const report = flags.format === 'json' ? formatFixJson(outcome) : flags.format === 'markdown' ? formatFixMarkdown(outcome) : flags.format === 'sarif' ? fixSarif(before, outcome, io.cwd) : outcome.dryRun ? formatFixDiff(outcome) + formatFixText(outcome) : formatFixText(outcome)
  // Diffs and edits show the user's own files: credentials in them are masked as in every other report.
  const text = redactSecretsInString(report)
  if (flags.output !== undefined) await writeOutputFile(io.cwd, flags.output, text)
  else io.stdout.write(text)
  const rule = { failOn: config.failOn, errors: config.errors }
  return exitCodeFor(outcome.dryRun ? before : after, rule) === 1 ? EXIT.DENIED : EXIT.OK
}

function scannedRenders(input: { gitops?: { sources: readonly { status: string }[] } }): number {
  return (input.gitops?.sources ?? []).filter((s) => s.status === 'scanned').length
}

/**
 * Write the proven texts. A file whose bytes changed since they were read is not written
 * (and reported); a UTF-8 byte order mark is kept. Files are written one by one: a failure
 * stops the run with the files written so far named.
 */
async function writeFiles(outcome: FixOutcome, io: CliIo): Promise<void> {
  const written: FileFix<Finding>[] = []
  for (const file of outcome.files) {
    const abs = path.resolve(io.cwd, file.file)
    const bytes = await readFile(abs)
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
    const text = bytes.subarray(bom ? 3 : 0).toString('utf8')
    if (text !== file.before) {
      outcome.rolledBack.push({ file: file.file, reasons: ['the file changed (or is not UTF-8) while palisade fix ran; not written'] })
      for (const a of file.applied) outcome.left.push({ item: a.finding, reason: 'rolled-back', detail: 'the file changed while palisade fix ran' })
      continue
    }
    await writeFile(abs, (bom ? '\ufeff' : '') + file.after)
    written.push(file)
  }
  outcome.files = written
}

const EXAMPLES = `
Examples:
  palisade fix                          apply the safe fixes under the working folder
  palisade fix k8s/ --dry-run           print the diff, change nothing
  palisade fix . --unsafe --policies pss-restricted
  palisade fix . --format json          list every edit (file, lines, before, after, policies, fingerprints)
  palisade fix . --dry-run --format sarif -o fixes.sarif   findings with fixes for code scanning

Every run proves its edits: the edited files are checked again, and a file whose fixed
findings are still reported, or that gets a new finding or error, or that a second run
would change again, is left as it was (reported as rolled back). Findings in Helm charts
and Kustomize overlays are reported with the reason they were not edited.

Exit codes as for scan, on what remains after fixing (with --dry-run: on what is there now).`
