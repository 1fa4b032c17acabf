import { Command, InvalidArgumentError, Option } from 'commander'
import {
  markdownLinks,
  masked,
  runScan,
  runStreamingScan,
  type BaselineChoice,
  type ImageOptions,
  type ScanOptions,
} from '../app/index.js'
import type { PalisadeConfig } from '../config/index.js'
import { SEVERITIES, ToolError, type BlockingRule, type Severity } from '../core/index.js'
import type { GitOpsScan } from '../gitops/index.js'
import { redactSecretsInString } from '../git/index.js'
import { exitCodeFor } from '../pipeline/index.js'
import {
  FORMAT_NAMES,
  formatJsonChunks,
  formatResult,
  formatSarifChunks,
  printableLines,
  type FormatName,
  type FormatOptions,
} from '../report/index.js'
import type { SchemaSummary } from '../app/index.js'
import { printStreamed, streamFormat, streamsReport, streamTuning } from './scan-stream.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import { evalTimeoutArg } from './eval-limits.js'
import { byteCountArg } from './byte-count-arg.js'
import { EXIT, type CliIo } from './io.js'
import { writeOutputFile } from './output-files.js'
import { createProgress } from './progress.js'
import { pssVersionArg } from './pss-version.js'
import { formatSourcesText, jsonSourceFields, notScannedSources } from './sources-report.js'
import { VERSION } from './version.js'
import { withImageOptions } from './image-options.js'
import { openStoreEarly, originOf, recordScan } from './record-scan.js'
import { addStoreOption } from './store-access.js'

interface ScanFlags extends ImageOptions {
  format: FormatName
  output?: string
  env?: string
  policies?: string
  policyDir?: string
  config?: string
  failOn?: Severity
  maxFileSize: number
  color?: boolean
  pssVersion?: string
  baseline?: string
  render: boolean
  helm?: string
  kubectl?: string
  kustomize?: string
  repoUrl?: string[]
  validateSchema?: boolean
  kubernetesVersion: string
  schemaStrict?: boolean
  progress?: boolean
  evalTimeout?: number
  verbose?: boolean
  record?: boolean
  store?: string
}

/** `palisade scan`: check manifests against the policies and report. */
export function scanCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = withImageOptions(new Command('scan'))
    .description('Check Kubernetes manifests (files, folders, - for stdin) against the policies.')
    .argument('[paths...]', 'files and folders to scan; - reads stdin', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMAT_NAMES).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-e, --env <name>', 'treat every resource as in this environment (overrides palisade.yaml paths)')
    .option(
      '-p, --policies <list>',
      'policy sets and ids, comma-separated: all, pss-baseline, pss-restricted, best-practices, <policy-id>; none: only the --policy-dir policies',
    )
    .option(
      '--policy-dir <dir>',
      'also run the Kyverno policies (ClusterPolicy, Policy, ValidatingPolicy, MutatingPolicy, GeneratingPolicy) and ValidatingAdmissionPolicies (with bindings) found in the YAML files of this folder',
    )
    .option(
      '-c, --config <file>',
      'configuration file (default: palisade.yaml in the scanned folder or the working directory)',
    )
    .addOption(
      new Option(
        '--eval-timeout <ms>',
        'most time one --policy-dir policy may take on one resource before it ends in an error finding (default: 2000)',
      ).argParser(evalTimeoutArg),
    )
    .addOption(
      new Option(
        '--pss-version <version>',
        'Pod Security Standards version to check: latest or v1.N (a Namespace enforce-version label in the scan wins)',
      ).argParser(pssVersionArg),
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 only for deny findings at or above this severity').choices(SEVERITIES),
    )
    .addOption(
      new Option('--max-file-size <bytes>', 'skip (and report) files larger than this')
        .default(DEFAULT_MAX_FILE_BYTES)
        .argParser(byteCountArg),
    )
    .option(
      '-b, --baseline <ref>',
      "compare with this Git ref (a branch, tag, SHA or HEAD~N; read from Git objects) at the commit where HEAD forked from it (a CI merge of the pull request onto it: the merge's first parent): mark findings new or existing, list fixed ones, report security-weakening changes; only new findings fail",
    )
    // --color first: defined before --no-color, the default stays undefined (= decide by the terminal).
    .option(
      '-v, --verbose',
      'text output: every finding in full (by default medium, low and info findings get one line each)',
    )
    .option('--color', 'colour the text output even when not on a terminal')
    .option('--no-color', 'never colour the text output')
    .option(
      '--no-render',
      'scan plain manifest files only: do not render Helm charts, Kustomize overlays, Argo CD or Flux applications',
    )
    .option('--helm <path>', 'helm binary for rendering charts (default: the project-local .tools/bin/helm, then PATH)')
    .option(
      '--kubectl <path>',
      'kubectl binary for `kubectl kustomize` (default: the project-local .tools/bin/kubectl, then PATH)',
    )
    .option('--kustomize <path>', 'a kustomize binary to use instead of kubectl (`kustomize build`)')
    .option(
      '--repo-url <url...>',
      'Git URLs of the scanned repository, so Argo CD and Flux sources pointing at it are rendered (also palisade.yaml render.repoURLs)',
    )
    .option(
      '--validate-schema',
      'validate every object against the Kubernetes JSON schema of its kind (custom resources are skipped); invalid objects exit 1',
    )
    .addOption(
      new Option('--kubernetes-version <1.N>', 'Kubernetes version of the schemas for --validate-schema')
        .default('1.35')
        .argParser(kubeVersion),
    )
    .option('--schema-strict', 'with --validate-schema, reject fields the schema does not define')
    .option('--progress', 'show progress (rendering, reading, parsing) on stderr even when it is not a terminal')
    .option(
      '--record',
      'record the run and its findings in the findings store (also palisade.yaml store.record: true); see palisade stats',
    )
  return addStoreOption(command)
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: ScanFlags) => {
      setExit(await scan(paths, flags, io))
    })
}

async function scan(paths: string[], flags: ScanFlags, io: CliIo): Promise<number> {
  if (flags.schemaStrict && !flags.validateSchema)
    throw new ToolError('USAGE', '--schema-strict only applies with --validate-schema', {
      hint: 'add --validate-schema, or drop --schema-strict',
    })
  const progress = createProgress(io, flags.progress === true)
  const options: ScanOptions = {
    ...flags,
    paths,
    collectChecks: flags.format === 'junit' || flags.format === 'policyreport',
    onProgress: (label, done, total) => progress.update(label, done, total),
    onProgressDone: () => progress.done(),
    onWarning: (message) => io.stderr.write(printableLines(`palisade: warning: ${message}\n`)),
  }
  const startedAt = io.now()
  const started = performance.now()
  // With --record and a store named before the scan, the store opens while the scan runs.
  const early = flags.record === true ? openStoreEarly(flags.store, io) : undefined
  const origin = flags.record === true ? originOf(paths, io) : undefined
  let outcome
  try {
    if (early === undefined && streamsReport(flags)) {
      // The report is written while the files are checked; what needs the whole run comes back buffered.
      let exit: number = EXIT.OK
      let findings = 0
      const streamed = await runStreamingScan(
        options,
        io,
        streamFormat(flags.format, io.cwd),
        async (run) => {
          const formatOptions = await reportOptions(flags, io, run.config, run.rule, run.gitops, undefined)
          await printStreamed(run, flags, formatOptions, io)
          exit = run.verdict.blocking ? EXIT.DENIED : EXIT.OK
          findings = run.findingCount
        },
        streamTuning(io.env),
      )
      if ('streamed' in streamed) {
        if (flags.format === 'sarif') warnSarifLimits(findings, io)
        return exit
      }
      outcome = streamed.buffered
    } else outcome = await runScan(options, io)
  } catch (error) {
    await early?.discard()
    throw error
  }
  const { result, config, inputs, rule } = outcome
  // The run is written in the store's own thread while this one formats the report; awaited below.
  const recording =
    flags.record === true || config.store?.record === true
      ? recordScan(
          outcome,
          {
            paths,
            startedAt,
            durationMs: performance.now() - started,
            ...(flags.store === undefined ? {} : { storeFlag: flags.store }),
            ...(early ? { early } : {}),
            ...(origin ? { origin } : {}),
          },
          io,
        )
      : undefined
  recording?.catch(() => undefined) // a failure surfaces at the await below

  const toFile = flags.output !== undefined
  const formatOptions = await reportOptions(flags, io, config, rule, inputs.gitops, inputs.schema, outcome.baseline)
  if (flags.format === 'json' || flags.format === 'sarif') {
    // In pieces: a report of 100,000 findings is 100 MB of text, better not held twice.
    const chunks =
      flags.format === 'json' ? formatJsonChunks(result, formatOptions) : formatSarifChunks(result, formatOptions)
    if (toFile) await writeOutputFile(io.cwd, flags.output as string, chunks)
    else for (const chunk of chunks) io.stdout.write(chunk)
  } else {
    const text = formatResult(result, flags.format, formatOptions)
    if (toFile) await writeOutputFile(io.cwd, flags.output as string, text)
    else io.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }
  await recording
  if (flags.format === 'sarif') warnSarifLimits(result.findings.length, io)
  return exitCodeFor(result, rule) === 1 ? EXIT.DENIED : EXIT.OK
}

/** The format options of a scan's report (colour, links, the sources section, the blocking rule). */
async function reportOptions(
  flags: ScanFlags,
  io: CliIo,
  config: PalisadeConfig,
  rule: BlockingRule,
  gitops: GitOpsScan | undefined,
  schema: SchemaSummary | undefined,
  baseline?: BaselineChoice,
): Promise<FormatOptions> {
  const toFile = flags.output !== undefined
  const color =
    flags.format === 'text' && (flags.color ?? (!toFile && io.stdout.isTTY === true && io.env.NO_COLOR === undefined))
  const { failOn } = rule
  const links = flags.format === 'markdown' ? await markdownLinks(io) : undefined
  const notScanned = notScannedSources(gitops?.sources ?? [])
  const fullReport = flags.format === 'markdown' ? actionsRunUrl(io) : undefined
  const jsonExtra =
    flags.format === 'json' && (gitops || schema || baseline)
      ? {
          ...(baseline ? { baseline: masked(baseline) } : {}),
          ...(gitops || schema ? masked(jsonSourceFields(gitops?.sources ?? [], schema)) : {}),
        }
      : undefined
  // Text: the sources section goes before the summary, so the verdict is the last line.
  const sourcesText =
    flags.format === 'text' && (gitops || schema)
      ? redactSecretsInString(
          formatSourcesText(
            gitops?.sources ?? [],
            gitops?.stats ?? { renders: 0, wallMs: 0 },
            schema,
            flags.verbose === true,
          ),
        )
      : ''
  // Which commit the findings were compared with: the fork point, or a synthetic merge's first parent.
  const baselineText = flags.format === 'text' && baseline ? redactSecretsInString(baselineLine(baseline)) : ''
  const before = [sourcesText.trim(), baselineText].filter((t) => t !== '').join('\n\n')
  return {
    color,
    toolVersion: VERSION,
    cwd: io.cwd,
    ...(before ? { beforeSummary: before } : {}),
    ...(failOn ? { failOn } : {}),
    ...(config.errors ? { errors: config.errors } : {}),
    ...(links ? { links } : {}),
    ...(flags.verbose ? { verbose: true } : {}),
    ...(notScanned.length > 0 ? { notScanned } : {}),
    ...(fullReport ? { fullReport } : {}),
    ...(flags.format === 'markdown' && baseline ? { baseline: masked(baselineFields(baseline)) } : {}),
    ...(jsonExtra ? { jsonExtra } : {}),
  }
}

/** What the Markdown summary says of the baseline commit. */
function baselineFields(b: BaselineChoice): NonNullable<FormatOptions['baseline']> {
  return { ref: b.ref, refCommit: b.refCommit, commit: b.commit, reason: b.reason }
}

/** The text report's line naming the baseline commit. */
function baselineLine(b: BaselineChoice): string {
  return `Baseline: ${b.ref} -> ${b.commit.slice(0, 12)}${b.commit === b.refCommit ? '' : ` (${b.ref} is at ${b.refCommit.slice(0, 12)})`}: ${b.reason}.`
}

/** The GitHub Actions run, where a workflow keeps the full report (CI environment), for the Markdown summary. */
function actionsRunUrl(io: CliIo): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = io.env
  return server && repository && run ? `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${run}` : undefined
}

/** GitHub code scanning shows the top 5,000 results of a run (by severity) and rejects runs of more than 25,000. */
function warnSarifLimits(results: number, io: CliIo): void {
  if (results <= 5000) return
  const what =
    results > 25_000 ? 'rejects a run of more than 25,000' : 'shows only the top 5,000 (by severity) of a run'
  io.stderr.write(
    `palisade: warning: the SARIF report has ${results} results; GitHub code scanning ${what}. Narrow the scan (--policies, fewer paths, .palisadeignore) for code scanning.\n`,
  )
}

function kubeVersion(value: string): string {
  const m = /^v?(1\.\d+)(\.\d+)?$/.exec(value)
  if (!m) throw new InvalidArgumentError(`expected a Kubernetes version like 1.35, got "${value}"`)
  return m[1] as string
}

const EXAMPLES = `
Examples:
  palisade scan .                                  scan the repository with palisade.yaml if present
  palisade scan k8s/ --policies pss-restricted     only the restricted Pod Security Standards
  palisade scan deploy.yaml --format sarif -o palisade.sarif
  palisade scan --baseline origin/main --format markdown   pull-request summary: only new findings fail
  kubectl get deploy -A -o yaml | palisade scan -  scan what a cluster runs

  palisade scan clusters/ --env production        every finding as in production
  palisade scan . --validate-schema --kubernetes-version 1.33
  palisade scan . --record                          also record the run in .palisade/store (palisade stats)

Helm charts, Kustomize overlays and the Argo CD / Flux applications found under a folder
are rendered (with the real helm and kubectl) and scanned as they will be deployed, each
in its environment; --no-render scans plain files only.

Exit codes: 0 nothing blocks; 1 at least one finding with action deny, an error
(a file that could not be read, parsed or rendered, a policy that could not be
evaluated; palisade.yaml errors: report only lists them) or, with --validate-schema,
an object that fails its schema; 2 usage or configuration error.`
