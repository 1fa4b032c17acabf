import { Command, Option } from 'commander'
import { SEVERITIES, type KubeObject, type Severity } from '../core/index.js'
import { collectLive, type KubeClient } from '../cluster/index.js'
import { createResolver, withLayoutEnvironments } from '../config/index.js'
import { indexPolicies } from '../engine/index.js'
import { liveEnvironment, liveResource, liveText, policyKinds } from '../live/index.js'
import { checkResources, exitCodeFor, type LocatedResource } from '../pipeline/index.js'
import { EXIT, type CliIo } from './io.js'
import { loadConfig } from './load-config.js'
import { buildPolicySet } from './policies.js'
import { pssVersionArg, withPssVersion } from './pss-version.js'
import { scanPolicySpecs } from './scan-gate.js'
import { loadUserPolicies, withDeclaredActions } from './user-policies.js'
import { evalLimits, evalTimeoutArg } from './eval-limits.js'
import { clusterClient, type ClusterFlags } from './cluster-access.js'
import { reportOptions, writeReport, type ReportFlags } from './write-report.js'
import { writePolicyReports } from './write-policy-reports.js'

interface AuditFlags extends ClusterFlags, ReportFlags {
  namespace?: string
  env?: string
  policies?: string
  policyDir?: string
  config?: string
  pssVersion?: string
  failOn?: Severity
  evalTimeout?: number
  writeReports?: boolean
}

/** `palisade audit`: check what a cluster runs, with the policies, configuration and waivers of a scan. */
export function auditCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('audit')
    .description('Check the objects a running cluster holds against the policies (the same policies, environments and waivers as scan).')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then the Pod\'s ServiceAccount in a Pod, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: its current-context)')
    .option('-n, --namespace <name>', 'only this namespace (and cluster-scoped objects)')
    .option('-e, --env <name>', 'treat every object as in this environment (default: palisade.yaml environments by namespace, then by cluster)')
    .option('-p, --policies <list>', 'policy sets and ids, comma-separated: all, pss-baseline, pss-restricted, best-practices, <policy-id>')
    .option('--policy-dir <dir>', 'also run the Kyverno policies and ValidatingAdmissionPolicies (with bindings) found in the YAML files of this folder')
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml in the working directory)')
    .addOption(new Option('--pss-version <version>', 'Pod Security Standards version to check: latest or v1.N (a Namespace enforce-version label wins)').argParser(pssVersionArg))
    .addOption(new Option('--fail-on <severity>', 'exit 1 only for deny findings at or above this severity').choices(SEVERITIES))
    .addOption(new Option('--eval-timeout <ms>', 'most time one --policy-dir policy may take on one object (default: 2000)').argParser(evalTimeoutArg))
    .option('--write-reports', 'also write the result to the cluster as wgpolicyk8s.io PolicyReport / ClusterPolicyReport objects, replacing the previous ones')
  return reportOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (flags: AuditFlags) => {
      setExit(await runAudit(flags, io))
    })
}

async function runAudit(flags: AuditFlags, io: CliIo): Promise<number> {
  const config = withLayoutEnvironments(await loadConfig(flags.config, [], io))
  const builtins = buildPolicySet(withPssVersion(config, flags.pssVersion), flags.policies, scanPolicySpecs(config))
  const user = flags.policyDir === undefined ? undefined : loadUserPolicies(flags.policyDir, io.cwd, io.now, evalLimits(flags.evalTimeout))
  const policies = user ? indexPolicies([...builtins.policies, ...user.compiled]) : builtins
  const resolver = user ? withDeclaredActions(createResolver(config, io.now()), config, user.declared) : createResolver(config, io.now())
  const client = clusterClient(flags, io)
  try {
    const resources = await readLive(client, flags, policyKinds(policies), (object) => liveEnvironment(object, client.access, resolver, flags.env))
    const collectChecks = flags.format === 'junit' || flags.format === 'policyreport' || flags.writeReports === true
    const result = checkResources(resources.resources, [], [...(user?.diagnostics ?? []), ...resources.diagnostics], {
      policies,
      resolver,
      ...(flags.env === undefined ? {} : { environment: flags.env }),
      collectChecks,
    })
    // Code frames: the YAML of each object that has a finding, written only for those.
    const sources = result.sources as Map<string, string>
    const byFile = new Map(resources.resources.map((r) => [r.file, r.object]))
    for (const f of result.findings) {
      const object = f.span ? byFile.get(f.span.file) : undefined
      if (f.span && object && !sources.has(f.span.file)) sources.set(f.span.file, liveText(object))
    }
    if (flags.writeReports) {
      const written = await writePolicyReports(client, result, flags.namespace)
      io.stderr.write(`palisade: wrote ${written.written} policy report(s), removed ${written.removed} old one(s)\n`)
    }
    const failOn = flags.failOn ?? config.failOn
    await writeReport(result, flags, io, { ...(failOn ? { failOn } : {}), ...(config.errors ? { errors: config.errors } : {}) })
    return exitCodeFor(result, { failOn, errors: config.errors }) === 1 ? EXIT.DENIED : EXIT.OK
  } finally {
    client.close()
  }
}

/** The live objects as resources, each with its environment. */
async function readLive(client: KubeClient, flags: AuditFlags, kinds: ReturnType<typeof policyKinds>, environmentOf: (object: KubeObject) => string | undefined): Promise<{ resources: LocatedResource[]; diagnostics: Awaited<ReturnType<typeof collectLive>>['diagnostics'] }> {
  const resources: LocatedResource[] = []
  const { diagnostics } = await collectLive(client, {
    kinds,
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    onObject: (object) => resources.push(liveResource(client.access.context, object, environmentOf(object))),
  })
  return { resources, diagnostics }
}

const EXAMPLES = `
Examples:
  palisade audit --kubeconfig ~/.kube/config --context prod
  palisade audit -n payments --policies pss-restricted --format sarif -o audit.sarif
  palisade audit --format policyreport | kubectl apply -f -
  palisade audit --write-reports                 write PolicyReports into the cluster (replacing Palisade's previous ones)

Each object is reported as k8s://<context>/<namespace>/<Kind>/<name>, with the line of the
field in its YAML. Objects that Argo CD or Flux manage name their application.
Needs get/list on what the policies look at (and create/patch/delete on policyreports
for --write-reports). Exit codes: 0 nothing blocks; 1 a deny finding or an error (a kind
that could not be listed blocks); 2 usage, configuration or connection error.`
