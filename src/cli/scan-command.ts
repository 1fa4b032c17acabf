import { lstat } from 'node:fs/promises'
import path from 'node:path'
import { Command, InvalidArgumentError, Option } from 'commander'
import { SEVERITIES, ToolError, type Severity } from '../core/index.js'
import { createResolver, withLayoutEnvironments } from '../config/index.js'
import { indexPolicies } from '../engine/index.js'
import { checkResources, exitCodeFor } from '../pipeline/index.js'
import { FORMAT_NAMES, formatJsonChunks, formatResult, type FormatName } from '../report/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import { EXIT, type CliIo } from './io.js'
import { loadConfig } from './load-config.js'
import { buildPolicySet } from './policies.js'
import { loadUserPolicies, withDeclaredActions } from './user-policies.js'
import { createProgress } from './progress.js'
import { pssVersionArg, withPssVersion } from './pss-version.js'
import { redactSecretsInString } from '../git/index.js'
import { masked, redactPrintedStrings } from './redact-result.js'
import { applyBaseline, markdownLinks, redactSources, scanPolicySpecs } from './scan-gate.js'
import { collectInput, renderBase } from './scan-input.js'
import { formatSourcesText, jsonSourceFields, notScannedSources } from './sources-report.js'
import { writeOutputFile } from './output-files.js'
import { VERSION } from './version.js'
import { evalLimits, evalTimeoutArg } from './eval-limits.js'
import { recordScan, type ScanRecording } from './record-scan.js'
import { addStoreOption } from './store-access.js'

export interface ScanFlags {
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

/** `history import` replays commits through the scan: it records into its open store and prints no report. */
export type ScanReplay = Pick<ScanRecording, 'origin' | 'store' | 'startedAt'> & { source: 'history' }

/** `palisade scan`: check manifests against the policies and report. */
export function scanCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('scan')
    .description('Check Kubernetes manifests (files, folders, - for stdin) against the policies.')
    .argument('[paths...]', 'files and folders to scan; - reads stdin', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMAT_NAMES).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-e, --env <name>', 'treat every resource as in this environment (overrides palisade.yaml paths)')
    .option('-p, --policies <list>', 'policy sets and ids, comma-separated: all, pss-baseline, pss-restricted, best-practices, <policy-id>')
    .option('--policy-dir <dir>', 'also run the Kyverno policies and ValidatingAdmissionPolicies (with bindings) found in the YAML files of this folder')
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml in the scanned folder or the working directory)')
    .addOption(new Option('--eval-timeout <ms>', 'most time one --policy-dir policy may take on one resource before it ends in an error finding (default: 2000)').argParser(evalTimeoutArg))
    .addOption(new Option('--pss-version <version>', 'Pod Security Standards version to check: latest or v1.N (a Namespace enforce-version label in the scan wins)').argParser(pssVersionArg))
    .addOption(new Option('--fail-on <severity>', 'exit 1 only for deny findings at or above this severity').choices(SEVERITIES))
    .addOption(new Option('--max-file-size <bytes>', 'skip (and report) files larger than this').default(DEFAULT_MAX_FILE_BYTES).argParser(positiveInt))
    .option('-b, --baseline <ref>', 'compare with this Git ref (read from Git objects): mark findings new or existing, list fixed ones, report security-weakening changes; only new findings fail')
    // --color first: defined before --no-color, the default stays undefined (= decide by the terminal).
    .option('-v, --verbose', 'text output: every finding in full (by default medium, low and info findings get one line each)')
    .option('--color', 'colour the text output even when not on a terminal')
    .option('--no-color', 'never colour the text output')
    .option('--no-render', 'scan plain manifest files only: do not render Helm charts, Kustomize overlays, Argo CD or Flux applications')
    .option('--helm <path>', 'helm binary for rendering charts (default: the project-local .tools/bin/helm, then PATH)')
    .option('--kubectl <path>', 'kubectl binary for `kubectl kustomize` (default: the project-local .tools/bin/kubectl, then PATH)')
    .option('--kustomize <path>', 'a kustomize binary to use instead of kubectl (`kustomize build`)')
    .option('--repo-url <url...>', 'Git URLs of the scanned repository, so Argo CD and Flux sources pointing at it are rendered (also palisade.yaml render.repoURLs)')
    .option('--validate-schema', 'validate every object against the Kubernetes JSON schema of its kind (custom resources are skipped); invalid objects exit 1')
    .addOption(new Option('--kubernetes-version <1.N>', 'Kubernetes version of the schemas for --validate-schema').default('1.35').argParser(kubeVersion))
    .option('--schema-strict', 'with --validate-schema, reject fields the schema does not define')
    .option('--progress', 'show progress (rendering, reading, parsing) on stderr even when it is not a terminal')
    .option('--record', 'record the run and its findings in the findings store (also palisade.yaml store.record: true); see palisade stats')
  return addStoreOption(command)
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: ScanFlags) => {
      setExit(await runScan(paths, flags, io))
    })
}

/** Run a scan; with `replay`, record it into the replay's store instead of printing a report. */
export async function runScan(paths: string[], flags: ScanFlags, io: CliIo, replay?: ScanReplay): Promise<number> {
  const startedAt = replay?.startedAt ?? io.now()
  const started = performance.now()
  if (flags.schemaStrict && !flags.validateSchema) throw new ToolError('USAGE', '--schema-strict only applies with --validate-schema', { hint: 'add --validate-schema, or drop --schema-strict' })
  await requireExistingPaths(paths, io.cwd)
  const config = withLayoutEnvironments(await loadConfig(flags.config, paths, io))
  const builtins = buildPolicySet(withPssVersion(config, flags.pssVersion), flags.policies, scanPolicySpecs(config))
  const user = flags.policyDir === undefined ? undefined : loadUserPolicies(flags.policyDir, io.cwd, io.now, evalLimits(flags.evalTimeout))
  const policies = user ? indexPolicies([...builtins.policies, ...user.compiled]) : builtins
  const resolver = user ? withDeclaredActions(createResolver(config, io.now()), config, user.declared) : createResolver(config, io.now())
  if (flags.env !== undefined && config.environments.length > 0 && !config.environments.some((e) => e.name === flags.env)) {
    io.stderr.write(`palisade: warning: environment "${flags.env}" is not defined in ${config.file ?? 'palisade.yaml'}; global actions apply\n`)
  }
  const progress = createProgress(io, flags.progress === true)
  const input = await collectInput(paths, flags, config, resolver, io, progress)
  const userDiagnostics = user?.diagnostics ?? []
  const result = checkResources(input.resources, input.sources, [...userDiagnostics, ...input.diagnostics], {
    policies,
    unreadFiles: input.unreadable.length,
    resolver,
    ...(flags.env === undefined ? {} : { environment: flags.env }),
    collectChecks: flags.format === 'junit',
    ...(input.gitops ? { renderedTexts: input.gitops.texts } : {}),
  })
  progress.done()
  if (flags.baseline !== undefined) {
    const check = { policies, resolver, ...(flags.env === undefined ? {} : { environment: flags.env }) }
    const baseRendered = flags.render ? await renderBase(flags.baseline, paths, flags, config, resolver, io, (d, t) => progress.update('Rendering base', d, t)) : undefined
    progress.done()
    await applyBaseline(result, { ref: flags.baseline, paths, maxFileBytes: flags.maxFileSize, config, check, headSources: input.sources, ...(baseRendered ? { baseRendered } : {}) }, io)
  }
  redactSources(result)
  redactPrintedStrings(result)
  if (replay || flags.record === true || config.store?.record === true) {
    // Recorded after redaction: the store never holds a secret the report would not print.
    await recordScan({ result, resolver, paths, startedAt, durationMs: performance.now() - started, ...(flags.store === undefined ? {} : { storeFlag: flags.store }), ...replay }, io)
    if (replay) return exitCodeFor(result, { failOn: flags.failOn ?? config.failOn, errors: config.errors }) === 1 ? EXIT.DENIED : EXIT.OK
  }

  const toFile = flags.output !== undefined
  const color = flags.format === 'text' && (flags.color ?? (!toFile && io.stdout.isTTY === true && io.env.NO_COLOR === undefined))
  const failOn = flags.failOn ?? config.failOn
  const links = flags.format === 'markdown' ? await markdownLinks(io) : undefined
  const notScanned = notScannedSources(input.gitops?.sources ?? [])
  const fullReport = flags.format === 'markdown' ? actionsRunUrl(io) : undefined
  const { gitops, schema } = input
  const jsonExtra = flags.format === 'json' && (gitops || schema) ? masked(jsonSourceFields(gitops?.sources ?? [], schema)) : undefined
  const rule = { failOn, errors: config.errors }
  // Text: the sources section goes before the summary, so the verdict is the last line.
  const sourcesText = flags.format === 'text' && (gitops || schema) ? redactSecretsInString(formatSourcesText(gitops?.sources ?? [], gitops?.stats ?? { renders: 0, wallMs: 0 }, schema, flags.verbose === true)) : ''
  const options = { color, toolVersion: VERSION, cwd: io.cwd, ...(sourcesText ? { beforeSummary: sourcesText } : {}), ...(failOn ? { failOn } : {}), ...(config.errors ? { errors: config.errors } : {}), ...(links ? { links } : {}), ...(flags.verbose ? { verbose: true } : {}), ...(notScanned.length > 0 ? { notScanned } : {}), ...(fullReport ? { fullReport } : {}), ...(jsonExtra ? { jsonExtra } : {}) }
  if (flags.format === 'json') {
    // In pieces: a report of 100,000 findings is 100 MB of text, better not held twice.
    const chunks = formatJsonChunks(result, options)
    if (toFile) await writeOutputFile(io.cwd, flags.output as string, chunks)
    else for (const chunk of chunks) io.stdout.write(chunk)
  } else {
    const text = formatResult(result, flags.format, options)
    if (toFile) await writeOutputFile(io.cwd, flags.output as string, text)
    else io.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }
  if (flags.format === 'sarif') warnSarifLimits(result.findings.length, io)
  return exitCodeFor(result, rule) === 1 ? EXIT.DENIED : EXIT.OK
}

/** A path that does not exist is a usage error (a typo must not scan nothing and pass). */
async function requireExistingPaths(paths: readonly string[], cwd: string): Promise<void> {
  for (const p of paths) {
    if (p === '-') continue
    try {
      await lstat(path.resolve(cwd, p))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new ToolError('FILE_UNREADABLE', `cannot read ${p}: ${code ?? 'error'}`, { cause: error })
      throw new ToolError('USAGE', `${p}: no such file or folder`, { hint: 'check the path; palisade scan with no path scans the working folder' })
    }
  }
}

/** The GitHub Actions run, where a workflow keeps the full report (CI environment), for the Markdown summary. */
function actionsRunUrl(io: CliIo): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = io.env
  return server && repository && run ? `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${run}` : undefined
}

/** GitHub code scanning shows the top 5,000 results of a run (by severity) and rejects runs of more than 25,000. */
function warnSarifLimits(results: number, io: CliIo): void {
  if (results <= 5000) return
  const what = results > 25_000 ? 'rejects a run of more than 25,000' : 'shows only the top 5,000 (by severity) of a run'
  io.stderr.write(`palisade: warning: the SARIF report has ${results} results; GitHub code scanning ${what}. Narrow the scan (--policies, fewer paths, .palisadeignore) for code scanning.\n`)
}

function kubeVersion(value: string): string {
  const m = /^v?(1\.\d+)(\.\d+)?$/.exec(value)
  if (!m) throw new InvalidArgumentError(`expected a Kubernetes version like 1.35, got "${value}"`)
  return m[1] as string
}

function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive whole number of bytes, got "${value}"`)
  return n
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
