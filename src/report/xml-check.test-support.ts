/**
 * A minimal, strict XML 1.0 reader for the JUnit tests: it throws on anything that is not
 * well-formed (unbalanced or crossed tags, unquoted or repeated attributes, bare `&` or `<`,
 * unknown entities, characters XML 1.0 forbids, text outside the root) and returns the
 * element tree with entities resolved, so tests can check counts and round-trip text.
 */
export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  text: string
}

const NAME = '[A-Za-z_:][-A-Za-z0-9_:.]*'
// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/u

function decode(raw: string, where: number): string {
  if (/<|&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)/.test(raw))
    throw new Error(`bare < or & or unknown entity near offset ${where}: ${raw.slice(0, 60)}`)
  return raw.replace(/&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/g, (_m, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
    if (named[e] !== undefined) return named[e]
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
    const c = String.fromCodePoint(code)
    if (ILLEGAL.test(c)) throw new Error(`character reference to a character XML forbids: &${e};`)
    return c
  })
}

/** Parse a document; throws with a reason when it is not well-formed. */
export function parseXml(xml: string): XmlElement {
  const bad = ILLEGAL.exec(xml)
  if (bad) throw new Error(`character XML 1.0 forbids at offset ${bad.index}: U+${bad[0].charCodeAt(0).toString(16)}`)
  let rest = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n?/, '')
  if (rest.length === xml.length) throw new Error('missing XML declaration')
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  const tag = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"]*")*)\\s*(/?)>`)
  while (rest.length > 0) {
    const offset = xml.length - rest.length
    if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->')
      if (end < 0 || rest.slice(4, end).includes('--')) throw new Error(`bad comment at ${offset}`)
      rest = rest.slice(end + 3)
      continue
    }
    if (rest.startsWith('<')) {
      const m = tag.exec(rest)
      if (!m) throw new Error(`malformed tag at ${offset}: ${rest.slice(0, 60)}`)
      const [whole, close, name = '', attrText = '', selfClose] = m
      rest = rest.slice(whole.length)
      if (close) {
        const open = stack.pop()
        if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}> at ${offset}`)
        continue
      }
      const element: XmlElement = { name, attributes: {}, children: [], text: '' }
      for (const a of attrText.matchAll(new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, 'g'))) {
        const key = a[1] ?? ''
        if (key in element.attributes) throw new Error(`repeated attribute ${key} at ${offset}`)
        element.attributes[key] = decode(a[2] ?? '', offset)
      }
      const parent = stack[stack.length - 1]
      if (parent) parent.children.push(element)
      else if (root) throw new Error(`second root element at ${offset}`)
      else root = element
      if (!selfClose) stack.push(element)
      continue
    }
    const next = rest.indexOf('<')
    const raw = next < 0 ? rest : rest.slice(0, next)
    rest = next < 0 ? '' : rest.slice(next)
    const parent = stack[stack.length - 1]
    if (parent) parent.text += decode(raw, offset)
    else if (raw.trim() !== '') throw new Error(`text outside the root at ${offset}`)
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`)
  if (!root) throw new Error('no root element')
  return root
}
