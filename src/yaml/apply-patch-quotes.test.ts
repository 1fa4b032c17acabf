import { describe, expect, it } from 'vitest'
import { applyPatch } from './index.js'

describe('applyPatch keeps the quoting of a replaced string', () => {
  it.each([
    ['double', 'image: "nginx:1"\n', 'image: "docker.io/library/nginx:1"\n'],
    ['single', "image: 'nginx:1'\n", "image: 'docker.io/library/nginx:1'\n"],
    ['plain', 'image: nginx:1\n', 'image: docker.io/library/nginx:1\n'],
    ['flow double', '{image: "nginx:1"}\n', '{image: "docker.io/library/nginx:1"}\n'],
  ])('%s', (_name, text, expected) => {
    expect(applyPatch(text, 0, [{ op: 'replace', path: '/image', value: 'docker.io/library/nginx:1' }])).toBe(expected)
  })

  it('a single-quoted value that needs escapes becomes double-quoted', () => {
    expect(applyPatch("a: 'x'\n", 0, [{ op: 'replace', path: '/a', value: 'line\nbreak' }])).toBe('a: "line\\nbreak"\n')
  })
})
