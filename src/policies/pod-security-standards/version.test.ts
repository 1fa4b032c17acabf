import { describe, expect, it } from 'vitest'
import { effectivePssVersion, parsePssVersion, PSS_ENFORCE_VERSION_LABEL, PSS_LATEST_MINOR } from './index.js'

const namespace = (labels: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'ns', labels },
})

describe('Pod Security Standards versions', () => {
  it('parses versions as Pod Security Admission does', () => {
    expect(parsePssVersion('v1.0')).toBe(0)
    expect(parsePssVersion('v1.25')).toBe(25)
    expect(parsePssVersion('latest')).toBe(PSS_LATEST_MINOR)
    expect(parsePssVersion('v1.99')).toBe(PSS_LATEST_MINOR) // newer than known: the newest policy
    for (const bad of ['1.25', 'v1.025', 'v2.0', 'v1.', 'v1.25.3', 'Latest', ''])
      expect(parsePssVersion(bad), bad).toBeUndefined()
  })

  it('takes the namespace label first, then the parameter, then latest', () => {
    expect(effectivePssVersion({}, null)).toEqual({ minor: PSS_LATEST_MINOR, source: 'latest' })
    expect(effectivePssVersion({ version: 'v1.21' }, null)).toEqual({ minor: 21, source: 'configured' })
    expect(effectivePssVersion({ version: 'v1.21' }, namespace({ [PSS_ENFORCE_VERSION_LABEL]: 'v1.30' }))).toEqual({
      minor: 30,
      source: 'namespace-label',
    })
    // a namespace with other labels only leaves the configured version in force
    expect(
      effectivePssVersion({ version: 'v1.21' }, namespace({ 'pod-security.kubernetes.io/enforce': 'baseline' })),
    ).toEqual({ minor: 21, source: 'configured' })
  })

  it('treats an unparseable label as latest, as Pod Security Admission does', () => {
    expect(effectivePssVersion({ version: 'v1.21' }, namespace({ [PSS_ENFORCE_VERSION_LABEL]: '1.30' }))).toEqual({
      minor: PSS_LATEST_MINOR,
      source: 'namespace-label',
    })
  })

  it('refuses a configured version that is not one', () => {
    expect(() => effectivePssVersion({ version: 'one-twenty' }, null)).toThrow(/latest" or "v1.N/)
    expect(() => effectivePssVersion({ version: 25 }, null)).toThrow()
  })
})
