/**
 * A realistic CheckResult built by hand, for the report tests: several files, every
 * severity and action, waivers from configuration and from an annotation, a finding that
 * could not be evaluated, an admission finding without a file, diagnostics with and
 * without spans, CRLF line ends, and unicode and XML-hostile text. Built only from core,
 * so the reports are tested without the pipeline.
 */
import {
  findingFingerprint,
  summarize,
  type CheckRecord,
  type CheckResult,
  type Diagnostic,
  type Finding,
  type PolicyMeta,
  type ResourceRef,
  type SourceSpan,
  type Summary,
} from '../core/index.js'

export const FIXTURE_CWD = '/home/ci/repo'
export const FIXTURE_VERSION = '0.1.0'

const API = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: api',
  '  namespace: prod',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: app',
  '          image: nginx:latest',
  '          securityContext:',
  '            privileged: true',
  '',
].join('\n')

const WORKER = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: worker',
  '  namespace: staging',
  'spec:',
  '  template:',
  '    spec:',
  '      hostPID: true',
  '      containers:',
  '        - name: worker',
  '          image: registry.example.com/worker@sha256:0123',
  '',
].join('\r\n')

const CNI = [
  'apiVersion: apps/v1',
  'kind: DaemonSet',
  'metadata:',
  '  name: cilium',
  '  namespace: kube-system',
  '  annotations:',
  '    waive.palisade.dev/disallow-privileged-containers: "The CNI programs the node network."',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: agent',
  '          securityContext: { privileged: true }',
  '',
].join('\n')

// Unicode before the column (an emoji is two UTF-16 code units) and a terminal escape in the source.
const WEB = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: wéb-ü',
  '  namespace: café',
  'spec:',
  '  containers:',
  '    - name: "wéb-ü"',
  '      image: "🚀/web:latest" # \u001b[31mred\u001b[0m',
  '',
].join('\n')

const CRON = [
  'apiVersion: batch/v1',
  'kind: CronJob',
  'metadata:',
  '  name: report',
  '  namespace: prod',
  'spec:',
  '  schedule: "0 * * * *"',
  '  jobTemplate:',
  '    spec:',
  '      template:',
  '        spec:',
  '          containers:',
  '            - name: report',
  '              resources: 42',
  '',
].join('\n')

const BROKEN = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', ' data: {}', ''].join('\n')

const CONFIG = [
  'apiVersion: palisade.dev/v1alpha1',
  'kind: Config',
  'waivers:',
  '  - policy: require-resource-limits',
  '    reason: Batch jobs are sized by the scheduler.',
  '    owner: data@example.com',
  '    expires: "2025-01-31"',
  '',
].join('\n')

const at = (file: string, line: number, column: number, endLine = line, endColumn = column + 1): SourceSpan => ({
  file,
  start: { line, column, offset: 0 },
  end: { line: endLine, column: endColumn, offset: 0 },
})

export const POLICIES: readonly PolicyMeta[] = [
  {
    id: 'disallow-privileged-containers',
    title: 'Containers must not run privileged',
    summary: 'Disallow securityContext.privileged: true on every container.',
    rationale: 'A privileged container has every capability and all host devices: escaping it is trivial.',
    remediation: 'Remove securityContext.privileged, or set it to false.',
    severity: 'critical',
    category: 'pod-security',
    controls: [
      { framework: 'pss', control: 'baseline/privileged' },
      { framework: 'cis', control: '5.2.2' },
      { framework: 'nist', control: 'AC-6' },
    ],
  },
  {
    id: 'disallow-host-namespaces',
    title: 'Pods must not share host namespaces',
    summary: 'Disallow hostPID, hostIPC and hostNetwork.',
    rationale: 'Host namespaces let a container see and signal every process on the node.',
    severity: 'high',
    category: 'pod-security',
    controls: [
      { framework: 'pss', control: 'baseline/hostNamespaces' },
      { framework: 'cis', control: '5.2.3' },
    ],
  },
  {
    id: 'disallow-host-path-volumes',
    title: 'Pods must not mount host paths',
    summary: 'Disallow hostPath volumes.',
    rationale: 'A hostPath volume exposes the node file system to the container.',
    remediation: 'Use an emptyDir, a ConfigMap or a PersistentVolumeClaim instead.',
    severity: 'high',
    category: 'pod-security',
    controls: [{ framework: 'pss', control: 'baseline/hostPathVolumes' }],
  },
  {
    id: 'disallow-latest-image-tag',
    title: 'Images must be pinned',
    summary: 'Disallow images without a tag, or tagged latest.',
    rationale: 'A moving tag deploys whatever was pushed last, so a rollback may not roll back.',
    remediation: 'Pin a version tag, or better a digest.',
    severity: 'medium',
    category: 'supply-chain',
    controls: [{ framework: 'nist', control: 'CM-2' }],
  },
  {
    id: 'require-resource-requests',
    title: 'Containers must request CPU and memory',
    summary: 'Require resources.requests.cpu and resources.requests.memory.',
    rationale: 'Without requests the scheduler cannot place pods safely.',
    severity: 'low',
    category: 'best-practices',
    controls: [],
  },
  {
    id: 'require-run-as-non-root',
    title: 'Containers must run as a non-root user',
    summary: 'Require securityContext.runAsNonRoot: true on each container or on the pod.',
    rationale: 'A process running as UID 0 keeps root privileges on the node if it escapes the container.',
    remediation: 'Set securityContext.runAsNonRoot: true and run the image as a numeric non-zero UID.',
    severity: 'high',
    category: 'pod-security',
    controls: [
      { framework: 'pss', control: 'restricted/runAsNonRoot' },
      { framework: 'cis', control: '5.2.7' },
    ],
  },
  {
    id: 'restrict-added-capabilities',
    title: 'Containers may add only safe capabilities',
    summary: 'Restrict securityContext.capabilities.add to NET_BIND_SERVICE.',
    rationale: 'Added capabilities widen what an escaped process can do on the node.',
    severity: 'medium',
    category: 'pod-security',
    controls: [{ framework: 'pss', control: 'restricted/capabilities_restricted' }],
  },
  {
    id: 'info-image-registry',
    title: 'Images come from a known registry',
    summary: 'Report images pulled from registries not in the allow list.',
    rationale: 'Knowing where images come from is the first step to trusting them.',
    severity: 'info',
    category: 'supply-chain',
    controls: [],
  },
]

const ref = (apiVersion: string, kind: string, namespace: string | undefined, name: string): ResourceRef =>
  namespace === undefined ? { apiVersion, kind, name } : { apiVersion, kind, namespace, name }

const RESOURCES = {
  api: ref('apps/v1', 'Deployment', 'prod', 'api'),
  worker: ref('apps/v1', 'Deployment', 'staging', 'worker'),
  cni: ref('apps/v1', 'DaemonSet', 'kube-system', 'cilium'),
  web: ref('v1', 'Pod', 'café', 'wéb-ü'),
  cron: ref('batch/v1', 'CronJob', 'prod', 'report'),
  debug: ref('v1', 'Pod', 'team-a', 'debug'),
}

type FindingInput = Omit<Finding, 'fingerprint' | 'controls' | 'category' | 'stablePath'> & { stablePath?: string }

function finding(input: FindingInput): Finding {
  const meta = POLICIES.find((p) => p.id === input.policyId)
  if (!meta) throw new Error(`fixture: unknown policy ${input.policyId}`)
  const stablePath = input.stablePath ?? input.path
  return {
    ...input,
    stablePath,
    controls: meta.controls,
    category: meta.category,
    fingerprint: findingFingerprint({
      policyId: input.policyId,
      messageId: input.messageId,
      resource: input.resource,
      stablePath,
    }),
  }
}

export const FINDINGS: readonly Finding[] = [
  finding({
    policyId: 'disallow-privileged-containers',
    messageId: 'privileged',
    message: 'Container "app" sets securityContext.privileged to true.',
    status: 'fail',
    severity: 'critical',
    resource: RESOURCES.api,
    path: '/spec/template/spec/containers/0/securityContext/privileged',
    stablePath: '/spec/template/spec/containers/[app]/securityContext/privileged',
    span: at('clusters/prod/api.yaml', 13, 13, 13, 23),
    action: 'deny',
    environment: 'prod',
    fix: {
      safety: 'safe',
      patch: [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/privileged', value: false }],
    },
  }),
  finding({
    policyId: 'require-run-as-non-root',
    messageId: 'missing',
    message: 'Container "app" does not set securityContext.runAsNonRoot.',
    status: 'fail',
    severity: 'high',
    resource: RESOURCES.api,
    path: '/spec/template/spec/containers/0',
    stablePath: '/spec/template/spec/containers/[app]',
    span: at('clusters/prod/api.yaml', 10, 11, 10, 15),
    action: 'deny',
    environment: 'prod',
    fix: {
      safety: 'unsafe',
      patch: [{ op: 'add', path: '/spec/template/spec/containers/0/securityContext/runAsNonRoot', value: true }],
    },
  }),
  finding({
    policyId: 'disallow-latest-image-tag',
    messageId: 'latest',
    message: 'Container "app" uses image "nginx:latest", which is not pinned.',
    status: 'fail',
    severity: 'medium',
    resource: RESOURCES.api,
    path: '/spec/template/spec/containers/0/image',
    stablePath: '/spec/template/spec/containers/[app]/image',
    span: at('clusters/prod/api.yaml', 11, 11, 11, 16),
    action: 'warn',
    environment: 'prod',
  }),
  finding({
    policyId: 'disallow-host-namespaces',
    messageId: 'hostPID',
    message: 'The pod sets hostPID: true.',
    status: 'fail',
    severity: 'high',
    resource: RESOURCES.worker,
    path: '/spec/template/spec/hostPID',
    span: at('clusters/staging/worker.yaml', 9, 7, 9, 14),
    action: 'deny',
    environment: 'staging',
    waiver: {
      source: 'config',
      reason: 'The profiler needs to see every process.',
      owner: 'perf@example.com',
      expires: '2027-06-30',
    },
  }),
  finding({
    policyId: 'info-image-registry',
    messageId: 'unknownRegistry',
    message: 'Container "worker" pulls from registry.example.com, which is not in the allow list.',
    status: 'fail',
    severity: 'info',
    resource: RESOURCES.worker,
    path: '/spec/template/spec/containers/0/image',
    stablePath: '/spec/template/spec/containers/[worker]/image',
    span: at('clusters/staging/worker.yaml', 12, 11, 12, 16),
    action: 'audit',
    environment: 'staging',
  }),
  finding({
    policyId: 'disallow-privileged-containers',
    messageId: 'privileged',
    message: 'Container "agent" sets securityContext.privileged to true.',
    status: 'fail',
    severity: 'critical',
    resource: RESOURCES.cni,
    path: '/spec/template/spec/containers/0/securityContext/privileged',
    stablePath: '/spec/template/spec/containers/[agent]/securityContext/privileged',
    span: at('clusters/dev/cni.yaml', 13, 30, 13, 40),
    action: 'deny',
    environment: 'dev',
    waiver: { source: 'annotation', reason: 'The CNI programs the node network.' },
  }),
  finding({
    policyId: 'disallow-latest-image-tag',
    messageId: 'latest',
    message:
      'Container "wéb-ü" uses image "🚀/web:latest" <script>alert(\'x\')</script> & ]]> \u001b[31mred\u001b[0m\u0007 \u202eevil',
    status: 'fail',
    severity: 'medium',
    resource: RESOURCES.web,
    path: '/spec/containers/0/image',
    stablePath: '/spec/containers/[wéb-ü]/image',
    span: at('apps/café team/web.yaml', 9, 14, 9, 29),
    action: 'deny',
  }),
  finding({
    policyId: 'require-resource-requests',
    messageId: 'evaluationError',
    message: 'Could not evaluate: no such key: "cpu" in resources (got a number).',
    status: 'error',
    severity: 'low',
    resource: RESOURCES.cron,
    path: '/spec/jobTemplate/spec/template/spec/containers/0/resources',
    stablePath: '/spec/jobTemplate/spec/template/spec/containers/[report]/resources',
    span: at('clusters/prod/cron.yaml', 14, 15, 14, 24),
    action: 'audit',
    environment: 'prod',
  }),
  finding({
    policyId: 'disallow-host-path-volumes',
    messageId: 'hostPath',
    message: 'Volume "host-root" mounts the host path "/".',
    status: 'fail',
    severity: 'high',
    resource: RESOURCES.debug,
    path: '/spec/volumes/0/hostPath',
    stablePath: '/spec/volumes/[host-root]/hostPath',
    action: 'deny',
    environment: 'prod',
  }),
]

export const DIAGNOSTICS: readonly Diagnostic[] = [
  {
    code: 'RENDER_FAILED',
    message:
      'helm template charts/payments exited with code 1: Error: chart "payments" requires kubeVersion >=1.30 <"&">',
    hint: 'run `helm template charts/payments` to see the full error',
  },
  {
    code: 'YAML_SYNTAX',
    message: 'bad indentation of a mapping entry',
    span: at('clusters/prod/broken.yaml', 5, 2),
    hint: 'indent nested keys consistently with spaces',
  },
  {
    code: 'WAIVER_EXPIRED',
    severity: 'warning',
    message:
      'waiver for require-resource-limits (owner data@example.com) expired on 2025-01-31; its findings count again',
    span: at('palisade.yaml', 4, 5),
    hint: 'fix the findings, or renew the waiver with a new expiry date and a reason',
  },
]

const SOURCES = new Map<string, string>([
  ['clusters/prod/api.yaml', API],
  ['clusters/staging/worker.yaml', WORKER],
  ['clusters/dev/cni.yaml', CNI],
  ['apps/café team/web.yaml', WEB],
  ['clusters/prod/cron.yaml', CRON],
  ['clusters/prod/broken.yaml', BROKEN],
  ['palisade.yaml', CONFIG],
])

/** Every policy × resource evaluation, passes included, as the pipeline records them for JUnit. */
function checkRecords(findings: readonly Finding[]): CheckRecord[] {
  const files: Record<string, string> = {
    api: 'clusters/prod/api.yaml',
    worker: 'clusters/staging/worker.yaml',
    cni: 'clusters/dev/cni.yaml',
    web: 'apps/café team/web.yaml',
    cron: 'clusters/prod/cron.yaml',
  }
  const records: CheckRecord[] = []
  for (const [key, resource] of Object.entries(RESOURCES)) {
    for (const policy of POLICIES) {
      const own = findings.filter((f) => f.policyId === policy.id && f.resource === resource)
      const open = own.filter((f) => !f.waiver)
      const status =
        own.length === 0
          ? 'pass'
          : open.length === 0
            ? 'skip'
            : open.some((f) => f.status === 'error')
              ? 'error'
              : 'fail'
      const file = files[key]
      records.push({ policyId: policy.id, resource, ...(file === undefined ? {} : { file }), status })
    }
  }
  return records
}

/** The summary as every producer makes it (core summarize), from the fixture's check records. */
function tally(
  findings: readonly Finding[],
  diagnostics: readonly Diagnostic[],
  checks: readonly CheckRecord[],
  files: number,
  resources: number,
): Summary {
  const counts = { files, resources, policies: POLICIES.length, checks: { pass: 0, fail: 0, error: 0, skip: 0 } }
  for (const c of checks) counts.checks[c.status]++
  return summarize(counts, findings, diagnostics)
}

/** The full fixture; `withChecks` adds pass records as `palisade scan --format junit` collects them. */
export function fixtureResult(options: { withChecks?: boolean } = {}): CheckResult {
  const checks = checkRecords(FINDINGS)
  // Shuffled on purpose: formatters must sort, not trust the caller's order.
  const findings = [...FINDINGS].reverse()
  return {
    findings,
    diagnostics: [...DIAGNOSTICS],
    summary: tally(FINDINGS, DIAGNOSTICS, checks, SOURCES.size, Object.keys(RESOURCES).length),
    policies: new Map(POLICIES.map((p) => [p.id, p])),
    sources: SOURCES,
    ...(options.withChecks ? { checks } : {}),
  }
}

/** A clean run: nothing found, nothing wrong (three files, four resources, every check passes). */
export function emptyResult(options: { withChecks?: boolean } = {}): CheckResult {
  const checks: CheckRecord[] = POLICIES.flatMap((p) =>
    [RESOURCES.api, RESOURCES.worker, RESOURCES.cni, RESOURCES.cron].map((resource) => ({
      policyId: p.id,
      resource,
      file: `clusters/${resource.name}.yaml`,
      status: 'pass' as const,
    })),
  )
  return {
    findings: [],
    diagnostics: [],
    summary: tally([], [], checks, 3, 4),
    policies: new Map(POLICIES.map((p) => [p.id, p])),
    sources: new Map(),
    ...(options.withChecks ? { checks } : {}),
  }
}
