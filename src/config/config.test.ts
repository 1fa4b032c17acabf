import { describe, expect, it } from 'vitest'
import { createResolver, parseConfig } from './index.js'

const CONFIG = `apiVersion: palisade.dev/v1alpha1
kind: Config
policies:
  select: pss-restricted
  disable: [disallow-latest-image-tag]
  params:
    require-resource-limits: { cpu: true }
actions:
  default: deny
  severity: { low: warn }
  policies:
    require-resource-requests: audit
environments:
  - name: production
    paths: ["clusters/prod/**"]
    namespaces: ["prod-*"]
    actions:
      policies:
        require-drop-all-capabilities: { action: warn, until: "2027-01-01", then: deny }
  - name: dev
    paths: ["clusters/dev/**"]
    actions:
      default: audit
      severity: { critical: warn }
waivers:
  - policy: disallow-privileged-containers
    resources: { kind: DaemonSet, namespace: kube-*, name: cilium }
    reason: CNI needs privileges to program the node network.
    owner: platform@example.com
    expires: "2026-12-31"
`

const parse = (text: string) => parseConfig(text, 'palisade.yaml', 'repo')
const at = (day: string) => new Date(`${day}T12:00:00Z`)

describe('parseConfig', () => {
  it('reads a full configuration', () => {
    const { config, diagnostics } = parse(CONFIG)
    expect(diagnostics).toEqual([])
    expect(config?.policies).toMatchObject({
      select: 'pss-restricted',
      disable: ['disallow-latest-image-tag'],
      params: { 'require-resource-limits': { cpu: true } },
    })
    expect(config?.policies.spans?.select?.start.line).toBe(4)
    expect(config?.policies.spans?.disable?.start.line).toBe(5)
    expect(config?.environments.map((e) => e.name)).toEqual(['production', 'dev'])
    expect(config?.waivers[0]?.span?.start.line).toBe(26)
  })

  it('treats an empty file as the defaults', () => {
    expect(parse('# nothing yet\n').config?.policies.select).toBe('all')
  })

  it('reports every schema problem at its line, and returns no configuration', () => {
    const { config, diagnostics } = parse(
      'actions:\n  default: block\nenvironments:\n  - name: Prod\n    pathz: []\nwaivers:\n  - policy: x\n    reason: because\n    expires: 2026-13-01\n',
    )
    expect(config).toBeUndefined()
    const lines = diagnostics.map((d) => [d.code, d.span?.start.line])
    expect(lines).toEqual(
      expect.arrayContaining([
        ['CONFIG_INVALID', 2],
        ['CONFIG_INVALID', 4],
        ['CONFIG_INVALID', 5],
        ['CONFIG_INVALID', 7],
        ['CONFIG_INVALID', 9],
      ]),
    )
    expect(diagnostics.map((d) => d.message).join('\n')).toMatch(/unknown field "pathz"/)
    expect(diagnostics.map((d) => d.message).join('\n')).toMatch(/missing required field "owner"/)
  })

  it('rejects impossible dates and duplicate environments', () => {
    const { diagnostics } = parse(
      'environments:\n  - name: a\n  - name: a\nwaivers:\n  - { policy: x, reason: because, owner: me, expires: "2026-02-30" }\n',
    )
    expect(diagnostics.map((d) => d.span?.start.line).sort()).toEqual([3, 5])
  })

  it('reports YAML syntax errors as configuration errors', () => {
    expect(parse('actions: [\n').diagnostics[0]?.code).toBe('CONFIG_INVALID')
  })
})

describe('resolver', () => {
  const config = parse(CONFIG).config!
  const before = createResolver(config, at('2026-11-22'))
  const after = createResolver(config, at('2027-01-01'))

  it('maps files and namespaces to environments', () => {
    expect(before.environmentForFile('repo/clusters/prod/app/deploy.yaml')).toBe('production')
    expect(before.environmentForFile('repo/clusters/dev/x.yaml')).toBe('dev')
    expect(before.environmentForFile('elsewhere/clusters/prod/x.yaml')).toBeUndefined()
    expect(before.environmentForNamespace('prod-eu')).toBe('production')
  })

  it('picks the most specific action: policy, then severity, then default; environment before global', () => {
    expect(before.actionFor('require-resource-requests', 'low', 'dev')).toBe('audit') // global policy beats env default
    expect(before.actionFor('x', 'critical', 'dev')).toBe('warn') // env severity
    expect(before.actionFor('x', 'low', 'dev')).toBe('warn') // global severity beats env default
    expect(before.actionFor('x', 'high', 'dev')).toBe('audit') // env default
    expect(before.actionFor('x', 'high', 'production')).toBe('deny') // global default
    expect(before.actionFor('x', 'high', undefined)).toBe('deny')
  })

  it('switches a scheduled action on its date', () => {
    expect(before.actionFor('require-drop-all-capabilities', 'medium', 'production')).toBe('warn')
    expect(after.actionFor('require-drop-all-capabilities', 'medium', 'production')).toBe('deny')
  })

  it('applies waivers by glob until they expire, then reports them as expired', () => {
    const cilium = { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' }
    expect(before.waiverFor('disallow-privileged-containers', cilium, undefined)).toEqual({
      waiver: expect.objectContaining({ owner: 'platform@example.com' }),
      expired: false,
    })
    expect(before.waiverFor('disallow-privileged-containers', { ...cilium, name: 'calico' }, undefined)).toBeUndefined()
    expect(before.waiverFor('other-policy', cilium, undefined)).toBeUndefined()
    expect(
      createResolver(config, at('2026-12-31')).waiverFor('disallow-privileged-containers', cilium, undefined)?.expired,
    ).toBe(false)
    expect(after.waiverFor('disallow-privileged-containers', cilium, undefined)?.expired).toBe(true)
  })
})
