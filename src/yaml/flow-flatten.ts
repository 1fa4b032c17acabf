import { Composer, Parser } from 'yaml'

/*
 * js-yaml refuses some flow collections that YAML allows and that kubectl (go-yaml) and the
 * `yaml` package read: a closing `]` or `}` on its own line at the indentation of the key
 * that holds it (istio's spire-quickstart.yaml), tabs between flow entries, a tab between
 * `key:` and its value. All are separation, which carries no content. When js-yaml refuses
 * a text, `flattenFlowSeparation` returns the same text with every line break, comment and
 * tab that separates flow entries, and every tab between tokens of a line, turned into
 * spaces: each flow collection on one line, every
 * offset unchanged, so values and positions read from it are those of the original text.
 * Only texts that `yaml` reads without an error are flattened, so nothing YAML refuses
 * becomes readable (repeated keys aside: `yaml` compares keys by its own YAML 1.1 reading,
 * where `1e3` and `1e+3` are the same number; the reader checks them after go-yaml's rules).
 */

interface SourceToken {
  type: string
  offset: number
  source: string
}

/** The flattened text, or undefined when `yaml` refuses `text` or there is nothing to flatten. */
export function flattenFlowSeparation(text: string): string | undefined {
  const tokens = Array.from(new Parser().parse(text))
  for (const doc of new Composer({ version: '1.1', uniqueKeys: false }).compose(tokens))
    if (doc.errors.length > 0) return undefined
  const blanks: SourceToken[] = []
  for (const token of tokens) collect(token, false, blanks)
  for (const token of tokens) collectTabs(token, text, blanks)
  if (blanks.length === 0) return undefined
  const parts: string[] = []
  let at = 0
  for (const token of blanks.sort((a, b) => a.offset - b.offset)) {
    if (token.offset < at) continue
    parts.push(text.slice(at, token.offset), ' '.repeat(token.source.length))
    at = token.offset + token.source.length
  }
  parts.push(text.slice(at))
  const flat = parts.join('')
  return flat === text ? undefined : flat
}

/**
 * Spaces holding a tab between tokens of a line (`key:<tab>{}`): YAML allows them as
 * separation, js-yaml refuses some. Indentation (a space token at a line start) is left alone.
 */
function collectTabs(node: unknown, text: string, out: SourceToken[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectTabs(item, text, out)
    return
  }
  if (node === null || typeof node !== 'object') return
  const record = node as Record<string, unknown>
  if (record.type === 'space' && typeof record.source === 'string') {
    const token = record as unknown as SourceToken
    const lineStart = token.offset === 0 || text[token.offset - 1] === '\n' || text[token.offset - 1] === '\r'
    if (!lineStart && token.source.includes('\t')) out.push(token)
    return
  }
  for (const key of ['start', 'items', 'key', 'sep', 'value', 'end'])
    if (key in record) collectTabs(record[key], text, out)
}

const SEPARATION = new Set(['newline', 'comment', 'space'])

/** Separation tokens inside flow collections: line breaks, comments, and spaces holding a tab. */
function collect(node: unknown, inFlow: boolean, out: SourceToken[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, inFlow, out)
    return
  }
  if (node === null || typeof node !== 'object') return
  const record = node as Record<string, unknown>
  const type = record.type
  if (inFlow && typeof type === 'string' && SEPARATION.has(type) && typeof record.source === 'string') {
    const token = record as unknown as SourceToken
    if (type !== 'space' || token.source.includes('\t')) out.push(token)
    return
  }
  const flow = inFlow || type === 'flow-collection'
  for (const key of ['start', 'items', 'key', 'sep', 'value']) if (key in record) collect(record[key], flow, out)
  if (!Array.isArray(record.end)) return
  // After its closing bracket, a collection's `end` holds what follows it on the line and the
  // line break: block context again, unless the collection is itself inside a flow collection.
  const end = record.end as SourceToken[]
  const close =
    type === 'flow-collection'
      ? end.findIndex((token) => token.type === 'flow-seq-end' || token.type === 'flow-map-end')
      : -1
  collect(end.slice(0, close + 1), flow, out)
  collect(end.slice(close + 1), inFlow, out)
}
