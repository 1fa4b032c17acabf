import { describe, expect, it } from 'vitest'
import { createResolver, defaultConfig, parseConfig, withLayoutEnvironments } from './index.js'

const parse = (text: string) => parseConfig(text, 'palisade.yaml', 'repo')

describe('render configuration and environment clusters', () => {
  it('reads the render section with defaults filled in', () => {
    const { config, diagnostics } = parse(`render:
  repoURLs: [https://git.example.com/org/repo]
  kustomize: { enableHelm: true }
  charts:
    - { path: charts/web, valuesFiles: [values-eu.yaml], environment: production, releaseName: web }
    - { path: charts/api }
  chartMirrors:
    - { repository: "https://charts.example.com", chart: redis, path: vendor/redis }
`)
    expect(diagnostics).toEqual([])
    expect(config?.render).toEqual({
      repoURLs: ['https://git.example.com/org/repo'],
      kustomizeEnableHelm: true,
      charts: [
        { path: 'charts/web', valuesFiles: ['values-eu.yaml'], environment: 'production', releaseName: 'web' },
        { path: 'charts/api', valuesFiles: [] },
      ],
      chartMirrors: [{ repository: 'https://charts.example.com', chart: 'redis', path: 'vendor/redis' }],
    })
    expect(parse('policies: { select: all }\n').config?.render).toEqual(defaultConfig('repo').render)
  })

  it('reports unknown render fields and a chart without a path at their lines', () => {
    const { config, diagnostics } = parse(
      'render:\n  charts:\n    - { valuesFiles: [a.yaml] }\n  helmBinary: /usr/bin/helm\n',
    )
    expect(config).toBeUndefined()
    expect(diagnostics.map((d) => [d.message, d.span?.start.line])).toEqual(
      expect.arrayContaining([
        ['render: unknown field "helmBinary"', 4],
        ['render.charts.0: missing required field "path"', 3],
      ]),
    )
  })

  it('maps destination clusters to environments by glob', () => {
    const { config } = parse(
      'environments:\n  - name: production\n    clusters: ["prod-*", "https://prod.k8s.example.com"]\n  - name: staging\n    clusters: [stg]\n',
    )
    const resolver = createResolver(config!, new Date('2026-11-22T00:00:00Z'))
    expect(resolver.environmentForCluster('prod-eu-1')).toBe('production')
    expect(resolver.environmentForCluster('https://prod.k8s.example.com')).toBe('production')
    expect(resolver.environmentForCluster('stg')).toBe('staging')
    expect(resolver.environmentForCluster('dev')).toBeUndefined()
  })

  it('assumes layout environments only when none are configured: production denies, the others warn', () => {
    const assumed = withLayoutEnvironments(defaultConfig('.'))
    const resolver = createResolver(assumed, new Date('2026-11-22T00:00:00Z'))
    expect(assumed.environments.map((e) => e.name)).toEqual(['production', 'staging', 'dev', 'qa'])
    expect(resolver.actionFor('any-policy', 'high', 'production')).toBe('deny')
    expect(resolver.actionFor('any-policy', 'high', 'staging')).toBe('warn')
    expect(resolver.actionFor('any-policy', 'critical', 'dev')).toBe('warn')
    const configured = parse('environments:\n  - name: prod\n').config!
    expect(withLayoutEnvironments(configured)).toBe(configured)
  })
})
