import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Command, Option } from 'commander'
import { SEVERITIES, type Severity } from '../core/index.js'
import { createResolver, withLayoutEnvironments } from '../config/index.js'
import { environmentFromLayout, type GitOpsScan } from '../gitops/index.js'
import { checkResources, exitCodeFor, resourcesOf, type LocatedResource, type SourceText } from '../pipeline/index.js'
import { FORMAT_NAMES, formatResult, type FormatName } from '../report/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import { EXIT, type CliIo } from './io.js'
import { loadConfig } from './load-config.js'
import { loadSources } from './load-sources.js'
import { buildPolicySet } from './policies.js'
import { createProgress } from './progress.js'
import { renderGitOps } from './render-gitops.js'
import { addSourcesToJson, formatSourcesText } from './sources-report.js'
import { validateSchemas, type SchemaSummary } from './validate-schema.js'
import { VERSION } from './version.js'

interface ScanFlags {
  format: FormatName
  output?: string
  env?: string
  policies?: string
  config?: string
  failOn?: Severity
  maxFileSize: number
  color?: boolean
  render: boolean
  helm?: string
  kubectl?: string
  kustomize?: string
  repoUrl?: string[]
  validateSchema?: boolean
  kubernetesVersion: string
  schemaStrict?: boolean
}

/** `palisade scan`: check manifests against the policies and report. */
export function scanCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('scan')
    .description('Check Kubernetes manifests (files, folders, - for stdin) against the policies.')
    .argument('[paths...]', 'files and folders to scan; - reads stdin', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMAT_NAMES).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-e, --env <name>', 'treat every resource as in this environment (overrides palisade.yaml paths)')
    .option('-p, --policies <list>', 'policy sets and ids, comma-separated: all, pss-baseline, pss-restricted, best-practices, <policy-id>')
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml in the scanned folder or the working directory)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 only for deny findings at or above this severity').choices(SEVERITIES))
    .addOption(new Option('--max-file-size <bytes>', 'skip (and report) files larger than this').default(DEFAULT_MAX_FILE_BYTES).argParser(positiveInt))
    .option('--no-color', 'never colour the text output')
    .option('--color', 'colour the text output even when not on a terminal')
    .option('--no-render', 'scan plain manifest files only: do not render Helm charts, Kustomize overlays, Argo CD or Flux applications')
    .option('--helm <path>', 'helm binary for rendering charts (default: the project-local .tools/bin/helm, then PATH)')
    .option('--kubectl <path>', 'kubectl binary for `kubectl kustomize` (default: the project-local .tools/bin/kubectl, then PATH)')
    .option('--kustomize <path>', 'a kustomize binary to use instead of kubectl (`kustomize build`)')
    .option('--repo-url <url...>', 'Git URLs of the scanned repository, so Argo CD and Flux sources pointing at it are rendered (also palisade.yaml render.repoURLs)')
    .option('--validate-schema', 'validate every object against the Kubernetes JSON schema of its kind (custom resources are skipped); invalid objects exit 1')
    .addOption(new Option('--kubernetes-version <1.N>', 'Kubernetes version of the schemas for --validate-schema').default('1.35').argParser(kubeVersion))
    .option('--schema-strict', 'with --validate-schema, reject fields the schema does not define')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: ScanFlags) => {
      setExit(await runScan(paths, flags, io))
    })
}

async function runScan(paths: string[], flags: ScanFlags, io: CliIo): Promise<number> {
  const config = withLayoutEnvironments(await loadConfig(flags.config, paths, io))
  const policies = buildPolicySet(config, flags.policies)
  const resolver = createResolver(config, io.now())
  if (flags.env !== undefined && config.environments.length > 0 && !config.environments.some((e) => e.name === flags.env)) {
    io.stderr.write(`palisade: warning: environment "${flags.env}" is not defined in ${config.file ?? 'palisade.yaml'}; global actions apply\n`)
  }
  const progress = createProgress(io)
  const gitops: GitOpsScan | undefined = flags.render ? await renderGitOps(paths, flags, config, resolver, io) : undefined
  const loaded = await loadSources(paths, io, {
    maxFileBytes: flags.maxFileSize,
    onProgress: (d, t) => progress.update('Reading', d, t),
    ...(gitops ? { skip: gitops.consumedFiles } : {}),
  })
  const diagnostics = [...loaded.diagnostics, ...(gitops?.diagnostics ?? [])]
  const names = config.environments.map((e) => e.name)
  const sources = loaded.sources.map((s) => withEnvironment(s, paths, io.cwd, resolver.environmentForFile(s.path), names))
  const resources: LocatedResource[] = []
  sources.forEach((source, i) => {
    const parsed = resourcesOf(source)
    diagnostics.push(...parsed.diagnostics)
    resources.push(...parsed.resources)
    progress.update('Parsing', i + 1, sources.length)
  })
  resources.push(...(gitops?.resources ?? []))
  let schema: SchemaSummary | undefined
  if (flags.validateSchema) {
    const validated = await validateSchemas(resources, flags.kubernetesVersion, flags.schemaStrict === true)
    diagnostics.push(...validated.diagnostics)
    schema = validated.summary
  }
  const result = checkResources(resources, sources, diagnostics, {
    policies,
    resolver,
    ...(flags.env === undefined ? {} : { environment: flags.env }),
    collectChecks: flags.format === 'junit',
    ...(gitops ? { renderedTexts: gitops.texts } : {}),
  })
  progress.done()
  result.summary.files += loaded.diagnostics.filter((d) => d.span !== undefined).length

  const toFile = flags.output !== undefined
  const color = flags.format === 'text' && (flags.color ?? (!toFile && io.stdout.isTTY === true && io.env.NO_COLOR === undefined))
  const failOn = flags.failOn ?? config.failOn
  let text = formatResult(result, flags.format, { color, toolVersion: VERSION, cwd: io.cwd, ...(failOn ? { failOn } : {}) })
  if (flags.format === 'json' && (gitops || schema)) text = addSourcesToJson(text, gitops?.sources ?? [], schema)
  if (flags.format === 'text' && (gitops || schema)) text = `${text.replace(/\n$/, '')}\n${formatSourcesText(gitops?.sources ?? [], gitops?.stats ?? { renders: 0, wallMs: 0 }, schema)}`
  if (toFile) await writeFile(path.resolve(io.cwd, flags.output as string), text)
  else io.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  const schemaFailed = schema !== undefined && schema.invalid > 0
  return exitCodeFor(result, failOn) === 1 || schemaFailed ? EXIT.DENIED : EXIT.OK
}

/**
 * A plain file's environment: palisade.yaml paths, else the repository layout below the
 * scanned folder that holds it (clusters/production/..., overlays/staging/...).
 */
function withEnvironment(source: SourceText, roots: readonly string[], cwd: string, configured: string | undefined, names: readonly string[]): SourceText {
  if (configured !== undefined) return { ...source, environment: configured }
  const abs = path.resolve(cwd, source.path)
  for (const root of roots) {
    const rel = path.relative(path.resolve(cwd, root), abs)
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue
    const found = environmentFromLayout(rel.split(path.sep).join('/'), names)
    if (found) return { ...source, environment: found.environment }
  }
  return source
}

function kubeVersion(value: string): string {
  const m = /^v?(1\.\d+)(\.\d+)?$/.exec(value)
  if (!m) throw new Error(`expected a Kubernetes version like 1.35, got "${value}"`)
  return m[1] as string
}

function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`expected a positive whole number of bytes, got "${value}"`)
  return n
}


const EXAMPLES = `
Examples:
  palisade scan .                                  scan the repository with palisade.yaml if present
  palisade scan k8s/ --policies pss-restricted     only the restricted Pod Security Standards
  palisade scan deploy.yaml --format sarif -o palisade.sarif
  kubectl get deploy -A -o yaml | palisade scan -  scan what a cluster runs

  palisade scan clusters/ --env production        every finding as in production
  palisade scan . --validate-schema --kubernetes-version 1.33

Helm charts, Kustomize overlays and the Argo CD / Flux applications found under a folder
are rendered (with the real helm and kubectl) and scanned as they will be deployed, each
in its environment; --no-render scans plain files only.

Exit codes: 0 nothing denied, 1 at least one finding with action deny (or, with
--validate-schema, an object that fails its schema), 2 usage or configuration error.`
