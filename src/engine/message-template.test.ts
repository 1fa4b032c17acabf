import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { renderTemplate, templateNames } from './message-template.js'

/** What renderTemplate did before templates were split once: a regex replace per call. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g
const display = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : Array.isArray(value)
      ? value.map(display).join(', ')
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value)
const byReplace = (template: string, data: Record<string, unknown>): string =>
  template.replace(PLACEHOLDER, (_, name: string) => display(data[name]))

describe('renderTemplate', () => {
  it('fills placeholders as a regex replace does, for any template and data', () => {
    const piece = fc.constantFrom(
      '{{',
      '}}',
      '{{name}}',
      '{{ kind }}',
      '{{x',
      'name',
      ' ',
      '$&',
      '$1',
      '{',
      '}',
      'é',
      '{{9a}}',
    )
    const template = fc.array(piece, { maxLength: 10 }).map((p) => p.join(''))
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.constant({ a: 1 }),
    )
    const data = fc.record({ name: value, kind: value, x: value }, { requiredKeys: [] })
    fc.assert(
      fc.property(template, data, (t, d) => {
        expect(renderTemplate(t, d)).toBe(byReplace(t, d))
        // A second render of the same template (from the kept split) gives the same.
        expect(renderTemplate(t, d)).toBe(byReplace(t, d))
      }),
      { numRuns: 5000 },
    )
  })

  it('renders a policy message', () => {
    const template = 'Container "{{name}}" sets {{ variable }} to {{list}}{{missing}}.'
    expect(renderTemplate(template, { name: 'app', variable: 'TOKEN', list: ['a', 1] })).toBe(
      'Container "app" sets TOKEN to a, 1.',
    )
    expect(templateNames(template)).toEqual(['name', 'variable', 'list', 'missing'])
  })
})
