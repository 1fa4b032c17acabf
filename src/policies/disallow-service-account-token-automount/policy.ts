import { isRecord, type KubeObject } from '../../core/index.js'
import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { groupOf, kindOf, mayRunPods, nameOf, namespaceOf, podViewOf } from '../resource-index/index.js'
import { podPart, withFields } from '../resource-index/parts.js'

/** The service account a pod spec runs as: serviceAccountName, the deprecated serviceAccount, or default. */
function accountOf(spec: Readonly<Record<string, unknown>>): string {
  for (const field of ['serviceAccountName', 'serviceAccount']) {
    const value = spec[field]
    if (typeof value === 'string' && value !== '') return value
  }
  return 'default'
}

export default definePolicy({
  id: 'disallow-service-account-token-automount',
  title: 'Pods must not mount a service account token they do not need',
  summary: 'Require automountServiceAccountToken: false on the pod, or on its ServiceAccount when that is in the scan.',
  rationale:
    'Every pod gets an API token by default. Most applications never call the Kubernetes API, so the token only helps an attacker who compromises the container: it is the first thing post-exploitation tools read, and it carries whatever RBAC the service account has.',
  remediation:
    'Set automountServiceAccountToken: false on the ServiceAccount (or the pod). Pods that do call the API set it to true explicitly and get a dedicated, least-privilege ServiceAccount.',
  severity: 'medium',
  category: 'workload',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.6' },
    { framework: 'nsa', control: 'pod-security/service-account-tokens' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '7.2.5' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'IA-5' },
  ],
  messages: {
    explicit:
      'Pod sets automountServiceAccountToken: true; the token of service account "{{account}}" is mounted into every container.',
    implicit:
      'Pod mounts the token of service account "{{account}}" by default: neither the pod nor the ServiceAccount sets automountServiceAccountToken: false.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  // Cross-resource: a ServiceAccount in the same scan may switch the default off for its pods.
  // What checkAll reads: ServiceAccounts' automount setting, and each pod spec's account and setting.
  reads: (o) =>
    kindOf(o) === 'ServiceAccount' && groupOf(o) === ''
      ? withFields(o, ['automountServiceAccountToken'])
      : podPart(o, ['serviceAccountName', 'serviceAccount', 'automountServiceAccountToken']),
  // A pod's verdict depends on it and on the ServiceAccounts of its namespace only.
  partRole: (part) =>
    kindOf(part) === 'ServiceAccount' && groupOf(part) === ''
      ? { fact: namespaceOf(part) ?? '' }
      : podViewOf(part)
        ? { subject: namespaceOf(part) ?? '' }
        : undefined,
  headerRole: (h) =>
    kindOf(h) === 'ServiceAccount' && groupOf(h) === ''
      ? 'part'
      : mayRunPods(h)
        ? { subject: namespaceOf(h) ?? '' }
        : 'none',
  checkAll: (objects: readonly KubeObject[]) => {
    const accounts = new Map<string, unknown>()
    for (const o of objects) {
      if (kindOf(o) === 'ServiceAccount' && groupOf(o) === '')
        accounts.set(`${namespaceOf(o) ?? ''}/${nameOf(o)}`, o.automountServiceAccountToken)
    }
    const out: (NativeViolation & { index: number })[] = []
    objects.forEach((o, index) => {
      const view = podViewOf(o)
      if (!view) return
      const spec = isRecord(view.object.spec) ? view.object.spec : {}
      const account = accountOf(spec)
      const path = `${view.prefix}/spec/automountServiceAccountToken`
      const podValue = spec.automountServiceAccountToken
      if (podValue === true) out.push({ index, messageId: 'explicit', path, data: { account } })
      else if (podValue !== false && accounts.get(`${namespaceOf(o) ?? ''}/${account}`) !== false) {
        out.push({
          index,
          messageId: 'implicit',
          path,
          data: { account },
          fix: { safety: 'unsafe', patch: [{ op: 'add', path, value: false }] },
        })
      }
    })
    return out
  },
})
