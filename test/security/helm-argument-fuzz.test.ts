import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { argoSetValue, helmSpecProblem, helmTemplateArgs } from '../../src/gitops/render-args.js'

// Strings built mostly from what helm's command line and its --set parser treat specially.
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('-', '=', ',', '\\', '{', '}', '[', ']', '.', ' ', '\n', '\r', '\0', '\u001b', '"', "'", '$'),
    fc.constantFrom('a', 'z', '0', 'é', '\u202e'),
  ),
  maxLength: 24,
})
const parameter = fc.record({ name: hostile, value: hostile, forceString: fc.boolean() })
const spec = fc.record({
  releaseName: fc.oneof(hostile, fc.constantFrom('web', 'a.b-c')),
  namespace: fc.option(fc.oneof(hostile, fc.constant('web')), { nil: undefined }),
  parameters: fc.array(parameter, { maxLength: 4 }),
  fileParameters: fc.array(fc.record({ name: hostile, file: hostile }), { maxLength: 2 }),
})

/**
 * How helm's --set parser reads a value (helm's strvals): a backslash takes the next
 * character as it is, and an unescaped comma ends the value (what follows is another key).
 */
function helmReadsValue(text: string): { value: string; rest: string } {
  let value = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (c === '\\' && i + 1 < text.length) value += text[++i]
    else if (c === ',') return { value, rest: text.slice(i + 1) }
    else value += c
  }
  return { value, rest: '' }
}

describe('helm arguments built from hostile Argo CD and Flux fields', () => {
  it('an accepted spec puts each value inside one --flag=value argument, and only the release and chart after --', () => {
    fc.assert(
      fc.property(spec, fc.array(hostile, { maxLength: 3 }), (s, files) => {
        const { namespace, ...rest } = s
        const clean = namespace === undefined ? rest : { ...rest, namespace }
        if (helmSpecProblem(clean) !== undefined) return
        const args = helmTemplateArgs(clean, files, '/scratch/chart', s.fileParameters)
        const end = args.indexOf('--')
        expect(args.slice(end)).toEqual(['--', s.releaseName, '/scratch/chart'])
        expect(s.releaseName.startsWith('-')).toBe(false)
        const flags = args.slice(2, end)
        expect(flags).toHaveLength((s.namespace ? 1 : 0) + files.length + s.parameters.length + s.fileParameters.length)
        for (const a of flags) expect(a).toMatch(/^--(namespace|values|set|set-string|set-file)=/)
        // Every repository field was checked: no namespace or parameter name that could be read otherwise.
        if (s.namespace) expect(s.namespace).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
        for (const p of [...s.parameters, ...s.fileParameters]) expect(p.name).not.toMatch(/^-|[=\n\r\0]/)
      }),
      { numRuns: 2000 },
    )
  })

  it('a parameter value without a backslash and not a helm list is read by helm as that one value, whatever commas it holds', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        if (value.includes('\\') || (value.startsWith('{') && value.endsWith('}'))) return
        expect(helmReadsValue(argoSetValue(value))).toEqual({ value, rest: '' })
      }),
      { numRuns: 2000 },
    )
  })

  it('as Argo CD: a comma after a backslash and a {...} list are passed unchanged, every other comma escaped', () => {
    expect(argoSetValue('a,b')).toBe('a\\,b')
    expect(argoSetValue('a\\,b')).toBe('a\\,b')
    expect(argoSetValue('{a,b}')).toBe('{a,b}')
    expect(argoSetValue('{a,b')).toBe('{a\\,b')
    expect(argoSetValue(',,')).toBe('\\,\\,')
    fc.assert(
      fc.property(hostile, (value) => {
        const out = argoSetValue(value)
        if (value.startsWith('{') && value.endsWith('}')) expect(out).toBe(value)
        else {
          // Every comma follows a backslash, and only backslashes before commas were added.
          expect(out).not.toMatch(/(^|[^\\]),/)
          const strip = (t: string): string => t.replaceAll('\\,', ',')
          expect(strip(out)).toBe(strip(value))
        }
      }),
    )
  })
})
