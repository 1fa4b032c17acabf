import { describe, expect, it } from 'vitest'
import { parseImageReference, qualifiedImageName } from './index.js'

describe('parseImageReference', () => {
  it.each([
    ['nginx', { registry: 'docker.io', explicitRegistry: false, repository: 'library/nginx' }],
    ['nginx:1.27', { registry: 'docker.io', explicitRegistry: false, repository: 'library/nginx', tag: '1.27' }],
    ['bitnami/redis:7', { registry: 'docker.io', explicitRegistry: false, repository: 'bitnami/redis', tag: '7' }],
    ['localhost/app', { registry: 'localhost', explicitRegistry: true, repository: 'app' }],
    [
      'registry.example.com:5000/team/app:2.0',
      { registry: 'registry.example.com:5000', explicitRegistry: true, repository: 'team/app', tag: '2.0' },
    ],
    ['Registry/app', { registry: 'Registry', explicitRegistry: true, repository: 'app' }],
    [
      'ghcr.io/acme/api@sha256:abc',
      { registry: 'ghcr.io', explicitRegistry: true, repository: 'acme/api', digest: 'sha256:abc' },
    ],
    [
      'ghcr.io/acme/api:1.0@sha256:abc',
      { registry: 'ghcr.io', explicitRegistry: true, repository: 'acme/api', tag: '1.0', digest: 'sha256:abc' },
    ],
  ])('%s', (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected)
  })

  it('has no reference for an empty string', () => {
    expect(parseImageReference('  ')).toBeUndefined()
  })

  it('qualifies implicit Docker Hub names', () => {
    expect(qualifiedImageName(parseImageReference('nginx:1.27')!)).toBe('docker.io/library/nginx:1.27')
    expect(qualifiedImageName(parseImageReference('host:5000/a/b@sha256:1')!)).toBe('host:5000/a/b@sha256:1')
  })
})
