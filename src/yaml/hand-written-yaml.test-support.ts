import fc from 'fast-check'

/*
 * Test support: hand-written YAML as people write it, not as dumpers do: random indentation
 * steps, `key:\n- item` lists, compact `- key: v` items, comments everywhere, every block
 * scalar header, multi-line plain and quoted scalars, flow collections over several lines,
 * anchors, aliases, markers, CRLF. Much of it is invalid (near-valid on purpose).
 */

/** Mostly `usual`, sometimes one of `rare`. */
function mostly<T>(usual: fc.Arbitrary<T>, ...rare: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: usual, weight: 20 }, { arbitrary: fc.constantFrom(...rare), weight: 1 })
}

const word = mostly(
  fc.constantFrom('a', 'name', 'app', 'image', 'on', 'No', 'y', '~', 'null', '0644', '0x1F', '1.5', '-2', '.5', '1e+3', '1e3', 'x y', 'a:b', 'a#b', 'é', '😀', 'k8s.io/name', 'true'),
  '-x', '?x', ':x', '::1', '*', '<<', '%', '@x', '`',
)
const padding = mostly(fc.constant(''), ' ', '  ', '\t')
const comment = mostly(fc.constantFrom('', '', ' # c'), '  #c:d', '\t# tab', ' #', '#x')

const plain = fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 2 })).map(
  ([words, continuation, extra]) => (indent: string) => (continuation === 0 ? words.join(' ') : `${words.join(' ')}\n${indent}${' '.repeat(extra)}${'more '.repeat(continuation).trimEnd()}`),
)
const doubleQuoted = fc
  .array(mostly(fc.constantFrom('a', ' ', '\\"', '\\\\', '\\t', '\\n', '\\x41', '\\u00e9', '\\U0001F600', '\\N', '\\_', '\\ ', '\\/', '\\\n', '\n', '\n\n', "'", '#', ': ', '\t'), '\\q', '\\x4'), { maxLength: 6 })
  .map((parts) => (indent: string) => `"${parts.join('').replaceAll('\n', `\n${indent} `)}"`)
const singleQuoted = fc
  .array(fc.constantFrom('a', ' ', "''", '"', '\\', '\n', '\n\n', '# x', ': '), { maxLength: 6 })
  .map((parts) => (indent: string) => `'${parts.join('').replaceAll('\n', `\n${indent} `)}'`)
const flow = fc
  .tuple(fc.array(mostly(fc.constantFrom('a', 'b c', '"q"', "'s'", '1', 'on', '[x, y]', '{k: v}', '{"j":1}', '[]', '{}', 'a # c\n'), 'k: v', '', '*a', '&b x'), { maxLength: 4 }), fc.boolean(), fc.boolean(), fc.nat({ max: 3 }))
  .map(([items, mapping, multiline, shift]) => (indent: string) => {
    const entries = mapping ? items.map((item, i) => (item.includes(':') || item === '' ? item : `k${i}: ${item}`)) : items
    const glue = multiline ? `,\n${indent}${' '.repeat(shift)}` : ', '
    return mapping ? `{${entries.join(glue)}}` : `[${entries.join(glue)}]`
  })
const blockScalar = fc
  .tuple(
    mostly(fc.constantFrom('|', '>', '|-', '|+', '>-', '>+', '|2', '>1', '|1-', '>-2', '|+1', '| # c'), '|0', '|--', '>#x', '|\t'),
    fc.array(fc.tuple(fc.nat({ max: 3 }), fc.constantFrom('text', 'more text', '', '  ', 'x\t', '# not a comment', '- item', 'k: v')), { maxLength: 5 }),
    fc.nat({ max: 3 }),
  )
  .map(([header, lines, step]) => (indent: string) => `${header}\n${lines.map(([extra, line]) => (line === '' ? '' : `${indent}${' '.repeat(step + extra)}${line}`)).join('\n')}`)

type Render = (indent: string) => string
const scalar: fc.Arbitrary<Render> = fc.oneof(
  { arbitrary: plain, weight: 12 },
  { arbitrary: fc.oneof(doubleQuoted, singleQuoted, flow, blockScalar), weight: 8 },
  { arbitrary: fc.constantFrom<Render>(() => '', () => '*a', () => '&a x', () => '&b', () => '!!str x', () => '? x'), weight: 1 },
)

const { collection } = fc.letrec<{ node: Render; collection: Render }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, tie('collection')),
  collection: fc.oneof(
    fc
      .tuple(
        fc.uniqueArray(fc.tuple(mostly(word, '"q k"', "'s k'", '"a"', "'a'"), padding, tie('node'), comment, mostly(fc.constant(false), true)), { minLength: 1, maxLength: 4, selector: (entry) => entry[0] }),
        mostly(fc.constant(2), 1, 3, 4),
      )
      .map(([entries, step]) => (indent: string) => {
        const inner = indent + ' '.repeat(step)
        return entries.map(([key, pad, value, note, blank], i) => `${i === 0 ? '' : `${blank ? '\n' : ''}\n${indent}`}${key}:${pad}${nested(value, inner, note)}`).join('')
      }),
    fc
      .tuple(fc.array(fc.tuple(tie('node'), comment), { minLength: 1, maxLength: 4 }), mostly(fc.constant(0), 1, 2, 3), fc.boolean())
      .map(([items, step, compact]) => (indent: string) => {
        const inner = indent + ' '.repeat(step + 2)
        return items.map(([value, note]) => `-${compact ? ' ' + value(inner) + note : nested(value, inner, note)}`).join(`\n${indent}`)
      }),
  ),
}))

/** A value after `key:` or `-`: on the same line when it is a scalar, else on the next lines. */
function nested(value: Render, inner: string, note: string): string {
  const text = value(inner)
  const first = text.split('\n')[0] ?? ''
  const isCollection = /^(?:- |-$|[^\s"'[{|>&*!?#][^\n]*?: |[^\s"'[{|>&*!?#][^\n]*?:$)/.test(first)
  return isCollection ? `${note}\n${inner}${text}` : ` ${text}${note}`
}

/** A stream of one to three hand-written documents. */
export const handWrittenYaml = fc
  .tuple(fc.array(fc.tuple(collection, fc.constantFrom('---\n', '--- # d\n', '', '...\n---\n', '---\n# c\n')), { minLength: 1, maxLength: 3 }), fc.boolean(), fc.constantFrom('', '  '))
  .map(([docs, crlf, rootIndent]) => {
    const text = docs.map(([render, marker], i) => `${i > 0 || marker !== '' ? marker || '---\n' : ''}${rootIndent}${render(rootIndent)}\n`).join('')
    return crlf ? text.replaceAll('\n', '\r\n') : text
  })

