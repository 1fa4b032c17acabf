import { Command, Option } from 'commander'
import { runAudit, type ClusterFlags } from '../app/index.js'
import { SEVERITIES, type Severity } from '../core/index.js'
import { exitCodeFor } from '../pipeline/index.js'
import { evalTimeoutArg } from './eval-limits.js'
import { EXIT, type CliIo } from './io.js'
import { pssVersionArg } from './pss-version.js'
import { reportOptions, writeReport, type ReportFlags } from './write-report.js'

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
    .description(
      'Check the objects a running cluster holds against the policies (the same policies, environments and waivers as scan).',
    )
    .option(
      '--kubeconfig <file>',
      "kubeconfig file (default: $KUBECONFIG, then the Pod's ServiceAccount in a Pod, then ~/.kube/config)",
    )
    .option('--context <name>', 'kubeconfig context (default: its current-context)')
    .option('-n, --namespace <name>', 'only this namespace (and cluster-scoped objects)')
    .option(
      '-e, --env <name>',
      'treat every object as in this environment (default: palisade.yaml environments by namespace, then by cluster)',
    )
    .option(
      '-p, --policies <list>',
      'policy sets and ids, comma-separated: all, pss-baseline, pss-restricted, best-practices, <policy-id>',
    )
    .option(
      '--policy-dir <dir>',
      'also run the Kyverno policies and ValidatingAdmissionPolicies (with bindings) found in the YAML files of this folder',
    )
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml in the working directory)')
    .addOption(
      new Option(
        '--pss-version <version>',
        'Pod Security Standards version to check: latest or v1.N (a Namespace enforce-version label wins)',
      ).argParser(pssVersionArg),
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 only for deny findings at or above this severity').choices(SEVERITIES),
    )
    .addOption(
      new Option(
        '--eval-timeout <ms>',
        'most time one --policy-dir policy may take on one object (default: 2000)',
      ).argParser(evalTimeoutArg),
    )
    .option(
      '--write-reports',
      'also write the result to the cluster as wgpolicyk8s.io PolicyReport / ClusterPolicyReport objects, replacing the previous ones',
    )
  return reportOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (flags: AuditFlags) => {
      setExit(await audit(flags, io))
    })
}

async function audit(flags: AuditFlags, io: CliIo): Promise<number> {
  const collectChecks = flags.format === 'junit' || flags.format === 'policyreport'
  const outcome = await runAudit({ ...flags, collectChecks, codeFrames: flags.format === 'text' }, io)
  if (outcome.reports)
    io.stderr.write(
      `palisade: wrote ${outcome.reports.written} policy report(s), removed ${outcome.reports.removed} old one(s)\n`,
    )
  await writeReport(outcome.result, flags, io, outcome.rule)
  return exitCodeFor(outcome.result, outcome.rule) === 1 ? EXIT.DENIED : EXIT.OK
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
