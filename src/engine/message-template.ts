/** Placeholders in a message template: `{{name}}`. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g

/** Names used by a template, in order of appearance. */
export function templateNames(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string)
}

/** Fill `{{name}}` placeholders; values are stringified, lists joined with ", ". */
export function renderTemplate(template: string, data: Readonly<Record<string, unknown>>): string {
  const parts = partsOf(template)
  let out = parts[0] as string
  for (let i = 1; i < parts.length; i += 2) out += display(data[parts[i] as string]) + (parts[i + 1] as string)
  return out
}

/**
 * A template split once into [text, name, text, name, ..., text]: every finding renders its
 * policy's message, and a regex replace with a callback per finding cost more than the rest
 * of making the violation. Templates are few (one per policy message), so all are kept.
 */
function partsOf(template: string): readonly string[] {
  let parts = compiled.get(template)
  if (parts === undefined) {
    const split: string[] = []
    let last = 0
    for (const match of template.matchAll(PLACEHOLDER)) {
      split.push(template.slice(last, match.index), match[1] as string)
      last = (match.index as number) + match[0].length
    }
    split.push(template.slice(last))
    parts = split
    if (compiled.size > 10_000) compiled.clear()
    compiled.set(template, parts)
  }
  return parts
}

const compiled = new Map<string, readonly string[]>()

function display(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.map(display).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
