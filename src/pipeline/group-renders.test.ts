import { describe, expect, it } from 'vitest'
import { createResolver, defaultConfig, parseConfig } from '../config/index.js'
import { compilePolicySet } from '../engine/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { checkSources, exitCodeFor, resourcesOf, type LocatedResource } from './index.js'

// One template line rendered by three applications: one finding, the strictest, listing the renders.
const { set } = compilePolicySet(BUILTIN_POLICIES.filter((p) => p.id === 'disallow-host-namespaces'))
const template =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations: {}\nspec:\n  hostPID: true\n  containers: []\n'
const waived = template.replace(
  'annotations: {}',
  'annotations: { waive.palisade.dev/disallow-host-namespaces: "profiler in prod" }',
)

function rendered(text: string, application: string, environment: string): LocatedResource {
  const [resource] = resourcesOf({ path: 'chart/templates/pod.yaml', text }).resources
  if (!resource) throw new Error('no resource')
  return { ...resource, application, environment, identity: `${application}\u0000chart/templates/pod.yaml\u0000Pod#0` }
}

const config = parseConfig(
  'environments:\n  - name: production\n  - name: staging\n    actions: { default: warn }\n  - name: dev\n    actions: { default: warn }\n',
  'palisade.yaml',
  '.',
).config
const check = (rendered: LocatedResource[]) =>
  checkSources([], {
    policies: set,
    resolver: createResolver(config ?? defaultConfig('.'), new Date('2026-11-22T12:00:00Z')),
    rendered,
    renderedTexts: new Map([['chart/templates/pod.yaml', template]]),
  })

describe('findings of several renders at one source location', () => {
  it('are one finding with the strictest action, listing every render', () => {
    const result = check([
      rendered(template, 'helm-chart web (dev)', 'dev'),
      rendered(template, 'helm-chart web (prod)', 'production'),
      rendered(template, 'helm-chart web (staging)', 'staging'),
    ])
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0]).toMatchObject({
      action: 'deny',
      environment: 'production',
      span: { start: { line: 7 } },
    })
    expect(result.findings[0]?.renders?.map((r) => `${r.environment} ${r.action}`)).toEqual([
      'dev warn',
      'production deny',
      'staging warn',
    ])
    expect(result.summary.findings).toBe(1)
    expect(exitCodeFor(result)).toBe(1)
  })

  it('a render where it is waived does not hide one where it is not: the finding shown is the open one', () => {
    const result = check([
      rendered(waived, 'helm-chart web (prod)', 'production'),
      rendered(template, 'helm-chart web (staging)', 'staging'),
    ])
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0]).toMatchObject({ action: 'warn', environment: 'staging' })
    expect(result.findings[0]?.waiver).toBeUndefined()
    expect(result.findings[0]?.renders).toEqual([
      { application: 'helm-chart web (prod)', environment: 'production', action: 'deny', waived: true },
      { application: 'helm-chart web (staging)', environment: 'staging', action: 'warn' },
    ])
  })

  it('plain files are not grouped and carry no renders', () => {
    const result = checkSources([{ path: 'a.yaml', text: template }], {
      policies: set,
      resolver: createResolver(defaultConfig('.'), new Date('2026-11-22T12:00:00Z')),
    })
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0]?.renders).toBeUndefined()
  })
})
