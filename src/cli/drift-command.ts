import { Command, Option } from 'commander'
import { runDrift, type ClusterFlags } from '../app/index.js'
import { SEVERITIES, type Severity } from '../core/index.js'
import { exitCodeFor } from '../pipeline/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import { EXIT, type CliIo } from './io.js'
import { createProgress } from './progress.js'
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

/** `palisade drift`: compare what Git says runs with what the cluster runs. */
export function driftCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('drift')
    .description(
      'Compare what Git says (rendered as scan renders it) with the live objects: changed fields, objects not in Git, objects not live.',
    )
    .argument(
      '[path]',
      'the GitOps repository folder (rendered like scan: charts, overlays, Argo CD and Flux applications)',
      '.',
    )
    .option(
      '--kubeconfig <file>',
      "kubeconfig file (default: $KUBECONFIG, then the Pod's ServiceAccount in a Pod, then ~/.kube/config)",
    )
    .option('--context <name>', 'kubeconfig context (default: its current-context)')
    .option('-n, --namespace <name>', 'only this namespace (and cluster-scoped objects)')
    .option('-e, --env <name>', 'render and judge as this environment')
    .option('-p, --policies <list>', 'policies that decide whether a drift is security-relevant (default: as scan)')
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml in the folder or the working directory)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 only for security-relevant drift at or above this severity').choices(
        SEVERITIES,
      ),
    )
    .option(
      '--no-render',
      'compare plain manifest files only: do not render charts, overlays, Argo CD or Flux applications',
    )
    .option('--helm <path>', 'helm binary (default: the project-local .tools/bin/helm, then PATH)')
    .option(
      '--kubectl <path>',
      'kubectl binary for `kubectl kustomize` (default: the project-local .tools/bin/kubectl, then PATH)',
    )
    .option('--kustomize <path>', 'a kustomize binary to use instead of kubectl')
    .option(
      '--repo-url <url...>',
      'Git URLs of this repository, so Argo CD and Flux sources pointing at it are rendered',
    )
    .addOption(
      new Option('--max-file-size <bytes>', 'skip (and report) files larger than this')
        .default(DEFAULT_MAX_FILE_BYTES)
        .argParser(Number),
    )
  return reportOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (path: string, flags: DriftFlags) => {
      setExit(await drift(path, flags, io))
    })
}

async function drift(root: string, flags: DriftFlags, io: CliIo): Promise<number> {
  const progress = createProgress(io)
  const outcome = await runDrift(
    {
      ...flags,
      path: root,
      kubernetesVersion: '1.35',
      onProgress: (label, done, total) => progress.update(label, done, total),
    },
    io,
  )
  progress.done()
  await writeReport(outcome.result, flags, io, outcome.rule)
  return exitCodeFor(outcome.result, outcome.rule) === 1 ? EXIT.DENIED : EXIT.OK
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
