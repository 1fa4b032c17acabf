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
  fc.constantFrom(
    'a',
    'name',
    'app',
    'image',
    'on',
    'No',
    'y',
    '~',
    'null',
    '0644',
    '0x1F',
    '1.5',
    '-2',
    '.5',
    '1e+3',
    '1e3',
    'x y',
    'a:b',
    'a#b',
    'é',
    '😀',
    'k8s.io/name',
    'true',
  ),
  '-x',
  '?x',
  ':x',
  '::1',
  '*',
  '<<',
  '%',
  '@x',
  '`',
)
const padding = mostly(fc.constant(''), ' ', '  ', '\t')
const comment = mostly(fc.constantFrom('', '', ' # c'), '  #c:d', '\t# tab', ' #', '#x')

const plain = fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 2 })).map(
  ([words, continuation, extra]) =>
    (indent: string) =>
      continuation === 0
        ? words.join(' ')
        : `${words.join(' ')}\n${indent}${' '.repeat(extra)}${'more '.repeat(continuation).trimEnd()}`,
)
const doubleQuoted = fc
  .array(
    mostly(
      fc.constantFrom(
        'a',
        ' ',
        '\\"',
        '\\\\',
        '\\t',
        '\\n',
        '\\x41',
        '\\u00e9',
        '\\U0001F600',
        '\\N',
        '\\_',
        '\\ ',
        '\\/',
        '\\\n',
        '\n',
        '\n\n',
        "'",
        '#',
        ': ',
        '\t',
      ),
      '\\q',
      '\\x4',
    ),
    { maxLength: 6 },
  )
  .map((parts) => (indent: string) => `"${parts.join('').replaceAll('\n', `\n${indent} `)}"`)
const singleQuoted = fc
  .array(fc.constantFrom('a', ' ', "''", '"', '\\', '\n', '\n\n', '# x', ': '), { maxLength: 6 })
  .map((parts) => (indent: string) => `'${parts.join('').replaceAll('\n', `\n${indent} `)}'`)
const flow = fc
  .tuple(
    fc.array(
      mostly(
        fc.constantFrom('a', 'b c', '"q"', "'s'", '1', 'on', '[x, y]', '{k: v}', '{"j":1}', '[]', '{}', 'a # c\n'),
        'k: v',
        '',
        '*a',
        '&b x',
      ),
      { maxLength: 4 },
    ),
    fc.boolean(),
    fc.boolean(),
    fc.nat({ max: 3 }),
  )
  .map(([items, mapping, multiline, shift]) => (indent: string) => {
    const entries = mapping
      ? items.map((item, i) => (item.includes(':') || item === '' ? item : `k${i}: ${item}`))
      : items
    const glue = multiline ? `,\n${indent}${' '.repeat(shift)}` : ', '
    return mapping ? `{${entries.join(glue)}}` : `[${entries.join(glue)}]`
  })
const blockScalar = fc
  .tuple(
    mostly(
      fc.constantFrom('|', '>', '|-', '|+', '>-', '>+', '|2', '>1', '|1-', '>-2', '|+1', '| # c'),
      '|0',
      '|--',
      '>#x',
      '|\t',
    ),
    fc.array(
      fc.tuple(
        fc.nat({ max: 3 }),
        fc.constantFrom('text', 'more text', '', '  ', 'x\t', '# not a comment', '- item', 'k: v'),
      ),
      { maxLength: 5 },
    ),
    fc.nat({ max: 3 }),
  )
  .map(
    ([header, lines, step]) =>
      (indent: string) =>
        `${header}\n${lines.map(([extra, line]) => (line === '' ? '' : `${indent}${' '.repeat(step + extra)}${line}`)).join('\n')}`,
  )

type Render = (indent: string) => string
const scalar: fc.Arbitrary<Render> = fc.oneof(
  { arbitrary: plain, weight: 12 },
  { arbitrary: fc.oneof(doubleQuoted, singleQuoted, flow, blockScalar), weight: 8 },
  {
    arbitrary: fc.constantFrom<Render>(
      () => '',
      () => '*a',
      () => '&a x',
      () => '&b',
      () => '!!str x',
      () => '? x',
    ),
    weight: 1,
  },
)

const { collection } = fc.letrec<{ node: Render; collection: Render }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, tie('collection')),
  collection: fc.oneof(
    fc
      .tuple(
        fc.uniqueArray(
          fc.tuple(
            mostly(word, '"q k"', "'s k'", '"a"', "'a'"),
            padding,
            tie('node'),
            comment,
            mostly(fc.constant(false), true),
          ),
          { minLength: 1, maxLength: 4, selector: (entry) => entry[0] },
        ),
        mostly(fc.constant(2), 1, 3, 4),
      )
      .map(([entries, step]) => (indent: string) => {
        const inner = indent + ' '.repeat(step)
        return entries
          .map(
            ([key, pad, value, note, blank], i) =>
              `${i === 0 ? '' : `${blank ? '\n' : ''}\n${indent}`}${key}:${pad}${nested(value, inner, note)}`,
          )
          .join('')
      }),
    fc
      .tuple(
        fc.array(fc.tuple(tie('node'), comment), { minLength: 1, maxLength: 4 }),
        mostly(fc.constant(0), 1, 2, 3),
        fc.boolean(),
      )
      .map(([items, step, compact]) => (indent: string) => {
        const inner = indent + ' '.repeat(step + 2)
        return items
          .map(([value, note]) => `-${compact ? ' ' + value(inner) + note : nested(value, inner, note)}`)
          .join(`\n${indent}`)
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
  .tuple(
    fc.array(fc.tuple(collection, fc.constantFrom('---\n', '--- # d\n', '', '...\n---\n', '---\n# c\n')), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.boolean(),
    fc.constantFrom('', '  '),
  )
  .map(([docs, crlf, rootIndent]) => {
    const text = docs
      .map(
        ([render, marker], i) =>
          `${i > 0 || marker !== '' ? marker || '---\n' : ''}${rootIndent}${render(rootIndent)}\n`,
      )
      .join('')
    return crlf ? text.replaceAll('\n', '\r\n') : text
  })

/*
 * The constructs real files use that readers disagree on: flow collections over several
 * lines inside block collections, with the closing bracket on its own line at, above or
 * below the key's indentation (istio's spire-quickstart.yaml has it at the key's), tabs
 * and comments between flow entries, `on:` keys (GitHub workflows), block scalars with
 * indentation and chomping indicators, comments in odd places, document markers. Each
 * document is a mapping or a list, as manifests are (a block scalar as the whole document is
 * read differently by js-yaml: README.md, "Known differences").
 */
const flowItem = fc.constantFrom(
  'a',
  '"b c"',
  "'d'",
  '1',
  'on',
  'x y',
  '{k: v}',
  '[1, 2]',
  '"-c"',
  'spiffe://example.org/ns/spire/sa/spire-agent',
)
const flowCollection = fc
  .tuple(
    fc.array(flowItem, { minLength: 1, maxLength: 4 }),
    fc.boolean(),
    fc.constantFrom('same line', 'own lines'),
    fc.integer({ min: -2, max: 3 }),
    fc.integer({ min: -1, max: 3 }),
    mostly(fc.constant(', '), ',\t', ' ,', ', # c\n'),
    fc.boolean(),
  )
  .map(([items, mapping, layout, itemShift, closeShift, comma, trailingComment]) => (indent: number) => {
    const entries = mapping ? items.map((value, i) => `k${i}: ${value}`) : items
    const [open, close] = mapping ? ['{', '}'] : ['[', ']']
    if (layout === 'same line')
      return `${open}${entries.join(comma.replace('\n', ` \n${' '.repeat(indent + 2)}`))}${close}`
    const itemIndent = ' '.repeat(Math.max(0, indent + 2 + itemShift))
    const closeIndent = ' '.repeat(Math.max(0, indent + closeShift))
    return `${open}${trailingComment ? ' # open' : ''}\n${entries.map((entry) => `${itemIndent}${entry}`).join(',\n')}\n${closeIndent}${close}`
  })
const blockScalarAt = fc
  .tuple(
    fc.constantFrom('|', '>', '|-', '>+', '|2', '>1-', '|+2', '| # note'),
    fc.array(fc.constantFrom('text', 'more text', '', '  indented', '# not a comment'), { minLength: 1, maxLength: 3 }),
  )
  .map(
    ([header, lines]) =>
      (indent: number) =>
        `${header}\n${lines.map((line) => (line === '' ? '' : `${' '.repeat(indent + 2)}${line}`)).join('\n')}`,
  )
const scalarText = fc.constantFrom(
  'value',
  '"quoted"',
  "'single'",
  'true',
  'on',
  '0644',
  '1.5',
  '~',
  'image:tag',
  'a # comment',
)
type RenderAt = (indent: number) => string
const valueAt: fc.Arbitrary<RenderAt> = fc.oneof(
  { arbitrary: scalarText.map((s) => () => s), weight: 3 },
  { arbitrary: flowCollection, weight: 4 },
  { arbitrary: blockScalarAt, weight: 2 },
)
const realKey = fc.constantFrom('name', 'on', 'args', 'command', 'paths', 'y', 'branches', '"quoted key"', 'selector')
const { collection: realCollection } = fc.letrec<{ node: RenderAt; collection: RenderAt }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, valueAt, tie('collection')),
  collection: fc
    .tuple(
      fc.uniqueArray(fc.tuple(realKey, tie('node'), mostly(fc.constant(''), ' # c', '\t# tab')), {
        minLength: 1,
        maxLength: 3,
        selector: ([k]) => k,
      }),
      fc.boolean(),
    )
    .map(([entries, asList]) => (indent: number) => {
      const lines = entries.map(([k, child, note]) => {
        const rendered = child(indent + 2)
        const nested = /^[a-z"]+[^\n]*:( |$)/.test(rendered.split('\n')[0] ?? '') || rendered.startsWith('- ')
        return nested
          ? `${k}:${note}\n${' '.repeat(indent + 2)}${rendered}`
          : `${k}: ${rendered}${rendered.includes('\n') ? '' : note}`
      })
      return asList ? `- ${lines.join(`\n${' '.repeat(indent + 2)}`)}` : lines.join(`\n${' '.repeat(indent)}`)
    }),
}))
/** A stream of one to three documents of the constructs above. */
export const realWorldYaml = fc
  .tuple(
    fc.array(realCollection, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('---\n', '--- # doc\n', '...\n---\n'),
    fc.boolean(),
  )
  .map(([docs, marker, crlf]) => {
    const text = docs.map((render) => `${render(0)}\n`).join(marker)
    return crlf ? text.replaceAll('\n', '\r\n') : text
  })
