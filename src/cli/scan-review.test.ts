import { afterAll, describe, expect, it } from 'vitest'
import { captureIo, GitFixture } from '../testing/index.js'
import { main } from './main.js'

// Each kind of security-weakening change, detected between two real commits by
// `scan --baseline HEAD~1`, as a requires-review finding naming its owners.

const CONFIG = `apiVersion: palisade.dev/v1alpha1
kind: Config
policies:
  select: all
actions:
  default: deny
review:
  owners:
    - paths: ["**"]
      owners: ["@acme/platform"]
    - paths: ["clusters/production/**"]
      owners: ["@acme/platform", "@acme/sre"]
`

const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: deployer, namespace: shop }
rules:
${rules}`
const binding = (kind: string, roleName: string, subjects: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: { name: ops, namespace: shop }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${roleName} }
subjects:
${subjects}`
const netpol = (spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: shop }
spec:
${spec}`
const namespace = (labels: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
${labels}`
const deployment = (container: string, pod = '') => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    spec:
${pod}      containers:
        - name: app
          image: nginx:1.25
${container}`
const webhook = (failurePolicy: string, names = ['check.acme.dev']) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: { name: acme }
webhooks:
${names.map((n) => `  - name: ${n}\n    failurePolicy: ${failurePolicy}\n    sideEffects: None\n    admissionReviewVersions: [v1]\n    clientConfig: { service: { name: hook, namespace: acme } }\n    rules: [{ apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods] }]`).join('\n')}
`

interface Case {
  name: string
  base: Record<string, string>
  head: Record<string, string | null>
  expected: { messageId: string; path?: string; owners?: string[] }[]
}

const ingress = '  podSelector: { matchLabels: { app: web } }\n  policyTypes: [Ingress]\n  ingress:\n'

const CASES: Case[] = [
  {
    name: 'RBAC: new verbs on a role',
    base: { 'rbac/role.yaml': role('  - { apiGroups: [apps], resources: [deployments], verbs: [get, list] }') },
    head: {
      'rbac/role.yaml': role('  - { apiGroups: [apps], resources: [deployments], verbs: [get, list, delete, patch] }'),
    },
    expected: [{ messageId: 'rbacWidened', path: '/rules', owners: ['@acme/platform'] }],
  },
  {
    name: 'RBAC: new resources on a role',
    base: { 'rbac/role.yaml': role('  - { apiGroups: [""], resources: [configmaps], verbs: [get] }') },
    head: { 'rbac/role.yaml': role('  - { apiGroups: [""], resources: [configmaps, secrets], verbs: [get] }') },
    expected: [{ messageId: 'rbacWidened' }],
  },
  {
    name: 'RBAC: a wildcard',
    base: { 'rbac/role.yaml': role('  - { apiGroups: [apps], resources: [deployments], verbs: [get] }') },
    head: { 'rbac/role.yaml': role('  - { apiGroups: [apps], resources: ["*"], verbs: [get] }') },
    expected: [{ messageId: 'rbacWildcard' }],
  },
  {
    name: 'RBAC: a binding to a powerful role gains a subject',
    base: { 'rbac/binding.yaml': binding('RoleBinding', 'admin', '  - { kind: User, name: alice }') },
    head: {
      'rbac/binding.yaml': binding(
        'RoleBinding',
        'admin',
        '  - { kind: User, name: alice }\n  - { kind: ServiceAccount, name: ci, namespace: shop }',
      ),
    },
    expected: [{ messageId: 'rbacPowerfulBinding', path: '/subjects/1' }],
  },
  {
    name: 'RBAC: a new binding to cluster-admin',
    base: { 'rbac/keep.yaml': role('  - { apiGroups: [""], resources: [pods], verbs: [get] }') },
    head: {
      'clusters/production/crb.yaml': binding(
        'ClusterRoleBinding',
        'cluster-admin',
        '  - { kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io }',
      ),
    },
    expected: [{ messageId: 'rbacPowerfulBinding', owners: ['@acme/platform', '@acme/sre'] }],
  },
  {
    name: 'RBAC: a binding to everyone',
    base: { 'rbac/binding.yaml': binding('RoleBinding', 'view', '  - { kind: User, name: alice }') },
    head: {
      'rbac/binding.yaml': binding(
        'RoleBinding',
        'view',
        '  - { kind: User, name: alice }\n  - { kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io }',
      ),
    },
    expected: [{ messageId: 'rbacBindingToEveryone' }],
  },
  {
    name: 'NetworkPolicy: opened to 0.0.0.0/0',
    base: { 'net/web.yaml': netpol(`${ingress}    - from: [{ podSelector: { matchLabels: { app: lb } } }]`) },
    head: {
      'net/web.yaml': netpol(
        `${ingress}    - from: [{ podSelector: { matchLabels: { app: lb } } }, { ipBlock: { cidr: 0.0.0.0/0 } }]`,
      ),
    },
    expected: [{ messageId: 'networkPolicyOpenCidr', path: '/spec/ingress/0/from/1/ipBlock/cidr' }],
  },
  {
    name: 'NetworkPolicy: deleted',
    base: {
      'net/web.yaml': netpol(`${ingress}    - from: [{ podSelector: { matchLabels: { app: lb } } }]`),
      'net/keep.yaml': namespace('    team: shop'),
    },
    head: { 'net/web.yaml': null },
    expected: [{ messageId: 'networkPolicyDeleted' }],
  },
  {
    name: 'NetworkPolicy: a widened peer selector',
    base: {
      'net/web.yaml': netpol(`${ingress}    - from: [{ podSelector: { matchLabels: { app: lb, tier: edge } } }]`),
    },
    head: { 'net/web.yaml': netpol(`${ingress}    - from: [{ podSelector: { matchLabels: { app: lb } } }]`) },
    expected: [{ messageId: 'networkPolicySelectorWidened', path: '/spec/ingress/0/from/0' }],
  },
  {
    name: 'NetworkPolicy: every namespace allowed',
    base: { 'net/web.yaml': netpol(`${ingress}    - from: [{ podSelector: { matchLabels: { app: lb } } }]`) },
    head: {
      'net/web.yaml': netpol(
        `${ingress}    - from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: lb } } }]`,
      ),
    },
    expected: [{ messageId: 'networkPolicySelectorWidened' }],
  },
  {
    name: 'Pod Security Admission: enforce lowered',
    base: {
      'ns/shop.yaml': namespace(
        '    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/warn: restricted',
      ),
    },
    head: { 'ns/shop.yaml': namespace('    pod-security.kubernetes.io/enforce: baseline') },
    expected: [
      { messageId: 'podSecurityLowered', path: '/metadata/labels/pod-security.kubernetes.io~1enforce' },
      { messageId: 'podSecurityLowered', path: '/metadata/labels/pod-security.kubernetes.io~1warn' },
    ],
  },
  {
    name: 'Admission: a webhook fails open',
    base: { 'admission/hook.yaml': webhook('Fail') },
    head: { 'admission/hook.yaml': webhook('Ignore') },
    expected: [{ messageId: 'admissionSoftened', path: '/webhooks/0/failurePolicy' }],
  },
  {
    name: 'Admission: a webhook removed',
    base: { 'admission/hook.yaml': webhook('Fail', ['check.acme.dev', 'images.acme.dev']) },
    head: { 'admission/hook.yaml': webhook('Fail', ['check.acme.dev']) },
    expected: [{ messageId: 'admissionRemoved' }],
  },
  {
    name: 'Admission: a ValidatingAdmissionPolicyBinding stops denying',
    base: {
      'admission/vapb.yaml':
        'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: { name: no-latest }\nspec: { policyName: no-latest, validationActions: [Deny] }\n',
    },
    head: {
      'admission/vapb.yaml':
        'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: { name: no-latest }\nspec: { policyName: no-latest, validationActions: [Warn, Audit] }\n',
    },
    expected: [{ messageId: 'admissionSoftened', path: '/spec/validationActions' }],
  },
  {
    name: 'Admission: a Kyverno policy switched to Audit',
    base: {
      'admission/kyverno.yaml':
        'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: require-labels }\nspec:\n  validationFailureAction: Enforce\n  rules: [{ name: check, match: { any: [{ resources: { kinds: [Pod] } }] }, validate: { message: x, pattern: { metadata: { labels: { app: "?*" } } } } }]\n',
    },
    head: {
      'admission/kyverno.yaml':
        'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: require-labels }\nspec:\n  validationFailureAction: Audit\n  rules: [{ name: check, match: { any: [{ resources: { kinds: [Pod] } }] }, validate: { message: x, pattern: { metadata: { labels: { app: "?*" } } } } }]\n',
    },
    expected: [{ messageId: 'admissionSoftened', path: '/spec/validationFailureAction' }],
  },
  {
    name: 'Admission: a Gatekeeper constraint deleted',
    base: {
      'admission/constraint.yaml':
        'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata: { name: must-have-owner }\nspec: { enforcementAction: deny }\n',
      'admission/keep.yaml': webhook('Fail'),
    },
    head: { 'admission/constraint.yaml': null },
    expected: [{ messageId: 'admissionRemoved' }],
  },
  {
    name: "Palisade's configuration: a policy disabled, an action softened, a waiver added",
    base: { 'apps/keep.yaml': namespace('    team: shop') },
    head: {
      'palisade.yaml':
        CONFIG.replace('  select: all\n', '  select: all\n  disable: [disallow-latest-image-tag]\n').replace(
          '  default: deny\n',
          '  default: deny\n  policies:\n    require-run-as-non-root: warn\n',
        ) +
        'waivers:\n  - policy: disallow-host-namespaces\n    reason: The node agent needs the host PID namespace.\n    owner: sre@acme.dev\n    expires: "2030-01-01"\n',
    },
    expected: [
      { messageId: 'palisadePolicyDisabled', path: '/policies/disable/0' },
      { messageId: 'palisadeActionSoftened', path: '/actions/policies/require-run-as-non-root' },
      { messageId: 'palisadeWaiverAdded', path: '/waivers/0' },
    ],
  },
  {
    name: 'securityContext: privileged, root and capabilities',
    base: {
      'apps/web.yaml': deployment(
        '          securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }\n',
      ),
    },
    head: {
      'apps/web.yaml': deployment(
        '          securityContext: { privileged: true, capabilities: { add: [NET_ADMIN] } }\n',
        '      hostPID: true\n',
      ),
    },
    expected: [
      { messageId: 'securityContextWeakened', path: '/spec/template/spec/hostPID' },
      { messageId: 'securityContextWeakened', path: '/spec/template/spec/containers/0/securityContext/privileged' },
      {
        messageId: 'securityContextWeakened',
        path: '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation',
      },
      { messageId: 'securityContextWeakened', path: '/spec/template/spec/containers/0/securityContext/runAsNonRoot' },
      {
        messageId: 'securityContextWeakened',
        path: '/spec/template/spec/containers/0/securityContext/capabilities/add',
      },
      {
        messageId: 'securityContextWeakened',
        path: '/spec/template/spec/containers/0/securityContext/capabilities/drop',
      },
    ],
  },
]

interface ReviewFinding {
  policy: string
  messageId: string
  path: string
  owners?: string[]
  message: string
  action: string
  baseline?: string
}

const repos: GitFixture[] = []
afterAll(() => repos.forEach((r) => r.cleanup()))

async function review(
  base: Record<string, string>,
  head: Record<string, string | null>,
): Promise<{ code: number; findings: ReviewFinding[] }> {
  const repo = new GitFixture()
  repos.push(repo)
  repo.write('palisade.yaml', CONFIG)
  for (const [file, text] of Object.entries(base)) repo.write(file, text)
  repo.commit('base')
  for (const [file, text] of Object.entries(head)) {
    if (text === null) repo.git('rm', '-q', file)
    else repo.write(file, text)
  }
  repo.commit('head')
  const io = captureIo(repo.dir)
  const code = await main(
    ['scan', '.', '--baseline', 'HEAD~1', '--policies', 'disallow-privileged-containers', '--format', 'json'],
    io,
  )
  expect(io.err()).toBe('')
  const report = JSON.parse(io.out()) as { findings: ReviewFinding[] }
  return { code, findings: report.findings.filter((f) => f.policy === 'requires-review') }
}

describe('scan --baseline: security-weakening changes', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { findings } = await review(c.base, c.head)
      expect(findings.map((f) => f.messageId).sort()).toEqual(c.expected.map((e) => e.messageId).sort())
      for (const e of c.expected) {
        const found = findings.find((f) => f.messageId === e.messageId && (e.path === undefined || f.path === e.path))
        expect(
          found,
          `${e.messageId} at ${e.path ?? 'any path'}; got ${JSON.stringify(findings.map((f) => [f.messageId, f.path]))}`,
        ).toBeDefined()
        expect(found?.owners).toEqual(e.owners ?? ['@acme/platform'])
        expect(found).toMatchObject({ action: 'warn', baseline: 'new' })
        expect(found?.message).toMatch(/needs review by @acme\/platform/)
      }
    })
  }

  it('reports nothing for changes that tighten security', async () => {
    const { findings } = await review(
      {
        'rbac/role.yaml': role('  - { apiGroups: [apps], resources: ["*"], verbs: [get, list, delete] }'),
        'ns/shop.yaml': namespace('    pod-security.kubernetes.io/enforce: baseline'),
        'net/web.yaml': netpol(`${ingress}    - from: [{ ipBlock: { cidr: 0.0.0.0/0 } }]`),
        'apps/web.yaml': deployment('          securityContext: { privileged: true }\n'),
      },
      {
        'rbac/role.yaml': role('  - { apiGroups: [apps], resources: [deployments], verbs: [get] }'),
        'ns/shop.yaml': namespace('    pod-security.kubernetes.io/enforce: restricted'),
        'net/web.yaml': netpol(`${ingress}    - from: [{ podSelector: { matchLabels: { app: lb } } }]`),
        'apps/web.yaml': deployment(
          '          securityContext: { runAsNonRoot: true, capabilities: { drop: [ALL] } }\n',
        ),
        'net/extra.yaml': netpol(`${ingress}    - from: [{ podSelector: { matchLabels: { app: lb } } }]`).replace(
          'name: web',
          'name: extra',
        ),
      },
    )
    expect(findings).toEqual([])
  })

  it('blocks when review.action is deny', async () => {
    const strict = CONFIG.replace('review:\n', 'review:\n  action: deny\n')
    const { code, findings } = await review(
      { 'palisade.yaml': strict, 'ns/shop.yaml': namespace('    pod-security.kubernetes.io/enforce: restricted') },
      { 'ns/shop.yaml': namespace('    team: shop') },
    )
    expect(findings.map((f) => [f.messageId, f.action])).toEqual([['podSecurityLowered', 'deny']])
    expect(code).toBe(1)
  })
})
