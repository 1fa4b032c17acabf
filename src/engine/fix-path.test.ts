import { describe, expect, it } from 'vitest'
import { absoluteFix } from './fix.js'

describe('absoluteFix paths', () => {
  const at = (path: string): string =>
    absoluteFix({ safety: 'unsafe', patch: [{ op: 'add', path, value: 'x' }] }, '/spec/template').patch[0]!.path

  it('keeps a pointer without escapes as it is and writes escapes canonically', () => {
    expect(at('/metadata/annotations/team')).toBe('/spec/template/metadata/annotations/team')
    expect(at('/metadata/annotations/example.com~1team')).toBe('/spec/template/metadata/annotations/example.com~1team')
    expect(at('/metadata/labels/a~0b')).toBe('/spec/template/metadata/labels/a~0b')
    expect(at('/metadata/labels/a~2b')).toBe('/spec/template/metadata/labels/a~02b')
    expect(at('')).toBe('/spec/template')
  })

  it('refuses a pointer that does not start with /', () => {
    expect(() => at('metadata/labels')).toThrow(/must start with "\/"/)
  })
})
