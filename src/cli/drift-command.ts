import { Command, Option } from 'commander'
import { collectLive, serverDefaulted, slimObject, type ApiResource, type KubeClient } from '../cluster/index.js'
import { isRecord, resourceRef, SEVERITIES, type Diagnostic, type KubeObject, type Severity } from '../core/index.js'
import { createResolver, withLayoutEnvironments } from '../config/index.js'
import { computeDrift, driftResult, livePath, liveEnvironment, objectKey, policyKinds, type Drift, type GitObject } from '../live/index.js'
import { exitCodeFor } from '../pipeline/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import { clusterClient, type ClusterFlags } from './cluster-access.js'
import { EXIT, type CliIo } from './io.js'
import { loadConfig } from './load-config.js'
import { buildPolicySet } from './policies.js'
import { createProgress } from './progress.js'
import { scanPolicySpecs } from './scan-gate.js'
import { collectInput } from './scan-input.js'
import { reportOptions, writeReport, type ReportFlags } from './write-report.js'

interface DriftFlags extends ClusterFlags, ReportFlags {
  namespace?: string
  env?: string
  policies?: string
  config?: string
  failOn?: Severity
  render: boolean
  helm?: string
  kubectl?: string
  kustomize?: string
  repoUrl?: string[]
  maxFileSize: number
}

/** Namespaces whose objects the platform, not Git, owns. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease'])

/** `palisade drift`: compare what Git says runs with what the cluster runs. */
export function driftCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('drift')
    .description('Compare what Git says (rendered as scan renders it) with the live objects: changed fields, objects not in Git, objects not live.')
    .argument('[path]', 'the GitOps repository folder (rendered like scan: charts, overlays, Argo CD and Flux applications)', '.')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then the Pod\'s ServiceAccount in a Pod, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: its current-context)')
    .option('-n, --namespace <name>', 'only this namespace (and cluster-scoped objects)')
    .option('-e, --env <name>', 'render and judge as this environment')
    .option('-p, --policies <list>', 'policies that decide whether a drift is security-relevant (default: as scan)')
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml in the folder or the working directory)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 only for security-relevant drift at or above this severity').choices(SEVERITIES))
    .option('--no-render', 'compare plain manifest files only: do not render charts, overlays, Argo CD or Flux applications')
    .option('--helm <path>', 'helm binary (default: the project-local .tools/bin/helm, then PATH)')
    .option('--kubectl <path>', 'kubectl binary for `kubectl kustomize` (default: the project-local .tools/bin/kubectl, then PATH)')
    .option('--kustomize <path>', 'a kustomize binary to use instead of kubectl')
    .option('--repo-url <url...>', 'Git URLs of this repository, so Argo CD and Flux sources pointing at it are rendered')
    .addOption(new Option('--max-file-size <bytes>', 'skip (and report) files larger than this').default(DEFAULT_MAX_FILE_BYTES).argParser(Number))
  return reportOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (path: string, flags: DriftFlags) => {
      setExit(await runDrift(path, flags, io))
    })
}

async function runDrift(root: string, flags: DriftFlags, io: CliIo): Promise<number> {
  const config = withLayoutEnvironments(await loadConfig(flags.config, [root], io))
  const policies = buildPolicySet(config, flags.policies, scanPolicySpecs(config))
  const resolver = createResolver(config, io.now())
  const progress = createProgress(io)
  const input = await collectInput([root], { ...flags, kubernetesVersion: '1.35' }, config, resolver, io, progress)
  progress.done()
  const client = clusterClient(flags, io)
  try {
    const gitKinds = new Set(input.resources.map((r) => String(r.object.kind)))
    const wanted = policyKinds(policies)
    const kinds = wanted === 'all' ? 'all' : new Set([...wanted, ...gitKinds])
    const live: KubeObject[] = []
    const { types, diagnostics } = await collectLive(client, { kinds, ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }), onObject: (o) => live.push(o) })
    const typeOf = new Map(types.map((t) => [t.kind, t]))
    const git = await gitObjects(client, input.resources, typeOf, flags.namespace, diagnostics)
    const gitNamespaces = new Set(git.flatMap((g) => (g.namespace ? [g.namespace] : [])))
    const namespaces = new Map(live.filter((o) => o.kind === 'Namespace').map((o) => [resourceRef(o).name, o]))
    const environmentOf = (o: KubeObject): string | undefined => liveEnvironment(o, client.access, resolver, flags.env)
    const drifts = computeDrift(git, live, {
      policies,
      namespaces,
      environmentOf,
      inScope: (o) => managedScope(o, gitKinds, gitNamespaces, flags.namespace),
    })
    const result = driftResult(drifts, [...input.diagnostics, ...diagnostics], (d) => liveSpanOf(client.access.context, d), { files: input.sources.length + (input.gitops?.texts.size ?? 0), resources: git.length })
    const texts = result.sources as Map<string, string>
    for (const s of input.sources) if (result.findings.some((f) => f.span?.file === s.path)) texts.set(s.path, s.text)
    for (const [file, text] of input.gitops?.texts ?? []) if (result.findings.some((f) => f.span?.file === file)) texts.set(file, text)
    const failOn = flags.failOn ?? config.failOn
    await writeReport(result, flags, io, { ...(failOn ? { failOn } : {}), ...(config.errors ? { errors: config.errors } : {}) })
    return exitCodeFor(result, { failOn, errors: config.errors }) === 1 ? EXIT.DENIED : EXIT.OK
  } finally {
    client.close()
  }
}

/** The Git objects with their namespace and, when the server can tell, their defaulted form. */
async function gitObjects(client: KubeClient, resources: Awaited<ReturnType<typeof collectInput>>['resources'], typeOf: ReadonlyMap<string, ApiResource>, only: string | undefined, diagnostics: Diagnostic[]): Promise<GitObject[]> {
  const out: GitObject[] = []
  for (const resource of resources) {
    const type = typeOf.get(String(resource.object.kind))
    const own = resourceRef(resource.object).namespace
    const namespace = type?.namespaced === false ? undefined : own ?? 'default'
    if (only !== undefined && namespace !== undefined && namespace !== only) continue
    const entry: GitObject = { resource, ...(namespace ? { namespace } : {}) }
    if (type) {
      const defaulted = await serverDefaulted(client, type, resource.object, namespace)
      if ('object' in defaulted) entry.defaulted = slimObject(defaulted.object)
      else diagnostics.push({ code: 'CLUSTER_FAILED', severity: 'warning', message: `${objectKey(resource.object, namespace)}: compared without server defaults (dry-run refused: ${defaulted.reason})`, span: resource.locate('') })
    }
    out.push(entry)
  }
  return out
}

/** A live object counts as unmanaged only where Git manages things: its kinds, its namespaces, not controller-made, not system. */
function managedScope(object: KubeObject, kinds: ReadonlySet<string>, namespaces: ReadonlySet<string>, only: string | undefined): boolean {
  const meta = isRecord(object.metadata) ? object.metadata : {}
  if (Array.isArray(meta.ownerReferences) && meta.ownerReferences.length > 0) return false
  const ref = resourceRef(object)
  if (ref.namespace === undefined) return kinds.has(ref.kind) && ref.kind !== 'Namespace' ? !ref.name.startsWith('system:') : false
  if (SYSTEM_NAMESPACES.has(ref.namespace)) return false
  if (only === undefined && !namespaces.has(ref.namespace)) return false
  if ((ref.kind === 'ServiceAccount' && ref.name === 'default') || (ref.kind === 'ConfigMap' && ref.name === 'kube-root-ca.crt')) return false
  return true
}

function liveSpanOf(context: string, drift: Drift): NonNullable<ReturnType<typeof driftSpan>> {
  return driftSpan(livePath(context, { apiVersion: drift.resource.apiVersion, kind: drift.resource.kind, metadata: { name: drift.resource.name, ...(drift.resource.namespace ? { namespace: drift.resource.namespace } : {}) } }))
}

function driftSpan(file: string): { file: string; start: { line: number; column: number; offset: number }; end: { line: number; column: number; offset: number } } {
  return { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }
}

const EXAMPLES = `
Examples:
  palisade drift --kubeconfig ~/.kube/config --context prod clusters/prod
  palisade drift . -n payments --format json

Each drifted field is reported at its line in Git (the template or values line for rendered
objects). What the API server sets or defaults is ignored (status, uid, resourceVersion,
managedFields, generation, creationTimestamp, allocated IPs, and defaults: Palisade asks the
server for a dry-run create of the Git object). A drift is security-relevant when the live
object fails a policy that Git passes, when a privilege, capability, host-access, identity,
image or RBAC field changed, when a NetworkPolicy in Git is missing live, or when an object
not in Git fails a policy or grants RBAC. Objects not in Git are looked for in Git's
namespaces (or -n), outside kube-system, and not when a controller made them.
Exit codes: 0 no security-relevant drift; 1 security-relevant drift or an error
(a kind that could not be listed); 2 usage, configuration or connection error.`
