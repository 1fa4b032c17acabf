import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES } from '../src/policies/index.js'
import { renderDocs, staleDocs } from '../tools/gen-docs.js'

describe('docs/policies', () => {
  it('has a page per policy and an index, exactly as generated from the policies (run `npm run docs`)', () => {
    const files = renderDocs()
    expect(files.size).toBe(BUILTIN_POLICIES.length + 1)
    expect(staleDocs(files)).toEqual([])
  })

  it('shows the real scan output of each invalid example', () => {
    const page = renderDocs().get('disallow-host-namespaces.md') ?? ''
    expect(page).toContain('`palisade scan` reports:')
    expect(page).toMatch(/fixtures\/invalid-daemonset\.yaml:15:7 +high +DENY +disallow-host-namespaces/)
  })
})
