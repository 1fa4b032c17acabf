/**
 * Pure logic of `npm run compare:reports`: which fields of a report may legitimately vary
 * from run to run (named, and the only ones rewritten), how to find values that vary
 * between two runs of the same build (renderer randomness such as helm's `randAlphaNum`),
 * and the verdict for one input × format. No I/O.
 */

/** A field that legitimately differs per run or per checkout, rewritten by name before comparing. */
export interface VolatileField {
  name: string
  /** Formats (as given to --format, plus `text-verbose`) the rule applies to. */
  formats: readonly string[]
  why: string
  apply(text: string, side: SideFacts): string
}

/** What a rule may need to know about the side that produced a report. */
export interface SideFacts {
  /** Absolute path of the checkout whose CLI ran (the temporary one for a base). */
  checkout: string
  /** package.json version of that checkout. */
  version: string
  /** Both sides' versions differ: only then is the tool version rewritten. */
  versionsDiffer: boolean
  /** os.tmpdir() of this machine (render scratch folders live under it). */
  tmpdir: string
  /** Working directory of the scans (the same for both sides; SARIF records it). */
  cwd: string
}

const TEXTS = ['text', 'text-verbose']

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Every field the comparison rewrites. Nothing else is touched. */
export const VOLATILE_FIELDS: readonly VolatileField[] = [
  {
    name: 'renderMs',
    formats: ['json'],
    why: 'wall time of one render (sources[].renderMs)',
    apply: (t) => t.replace(/("renderMs": )\d+/g, '$1<ms>'),
  },
  {
    name: 'render wall time',
    formats: TEXTS,
    why: 'the text summary line "N renders in X s"',
    apply: (t) => t.replace(/( renders in )\d+(?:\.\d+)? s\)/g, '$1<s> s)'),
  },
  {
    name: 'tool version',
    formats: ['sarif', 'junit'],
    why: "Palisade version (SARIF tool.driver.version, JUnit header comment), only when the two sides' package.json versions differ",
    apply: (t, s) => {
      if (!s.versionsDiffer) return t
      const v = escapeRegExp(s.version)
      return t
        .replace(new RegExp(`("name": "palisade",[^}]*?"version": )"${v}"`, 'gs'), '$1"<version>"')
        .replace(new RegExp(`(<!-- palisade )${v}(:)`, 'g'), '$1<version>$2')
    },
  },
  {
    name: 'checkout path',
    formats: ['text', 'text-verbose', 'json', 'sarif', 'junit', 'markdown'],
    why: 'absolute path of a checkout built in a temporary folder (not the working directory both sides scan from)',
    apply: (t, s) => (s.checkout === s.cwd ? t : t.split(s.checkout).join('<checkout>')),
  },
  {
    name: 'render scratch path',
    formats: ['text', 'text-verbose', 'json', 'sarif', 'junit', 'markdown'],
    why: 'per-run scratch folder of renders (mkdtemp palisade-render-XXXXXX, palisade-base-XXXXXX)',
    apply: (t, s) =>
      t.replace(new RegExp(`${escapeRegExp(s.tmpdir)}/palisade-(render|base)-[A-Za-z0-9]{6}`, 'g'), '<scratch-$1>'),
  },
]

/** Rewrite the volatile fields of one report, by name; everything else is left byte for byte. */
export function normaliseVolatile(
  text: string,
  format: string,
  side: SideFacts,
  fields: readonly VolatileField[] = VOLATILE_FIELDS,
): string {
  let out = text
  for (const f of fields) if (f.formats.includes(format)) out = f.apply(out, side)
  return out
}

/** A line shape learnt from two runs of one build: the words that changed become wildcards. */
export interface UnstableTemplate {
  /** The line with its varying words shown as `<unstable>` (for the report). */
  shape: string
  regex: RegExp
  /** How many words vary. */
  words: number
}

/** Lines that two runs of one build could not align (not the same count, or not the same shape). */
export interface Unaligned {
  a: string
  b: string
}

const WORD = /([A-Za-z0-9]+)/

/** More lines than this that differ between two runs of one build are not paired (pairing is quadratic). */
const MAX_PAIRED = 2000

/**
 * Compare two runs of the same build line by line and learn, for each line that differs
 * only in some alphanumeric words, a template that masks those words. After the common
 * head and tail, each line only in one run is paired with the line only in the other run
 * that has its shape and differs in the fewest words (so a reordering is paired too).
 * Lines left without a partner are returned as unaligned: randomness the comparison
 * cannot explain, which makes the verdict undecidable.
 */
export function learnUnstable(a: string, b: string): { templates: UnstableTemplate[]; unaligned: Unaligned[] } {
  if (a === b) return { templates: [], unaligned: [] }
  const la = a.split('\n')
  const lb = b.split('\n')
  let start = 0
  while (start < la.length && start < lb.length && la[start] === lb[start]) start++
  let endA = la.length
  let endB = lb.length
  while (endA > start && endB > start && la[endA - 1] === lb[endB - 1]) {
    endA--
    endB--
  }
  const { onlyA, onlyB } = multisetDifference(la.slice(start, endA), lb.slice(start, endB))
  if (onlyA.length > MAX_PAIRED || onlyB.length > MAX_PAIRED)
    return { templates: [], unaligned: [{ a: onlyA.slice(0, 3).join('\n'), b: onlyB.slice(0, 3).join('\n') }] }
  const templates = new Map<string, UnstableTemplate>()
  const unaligned: Unaligned[] = []
  const free = [...onlyB]
  for (const x of onlyA) {
    let best: { index: number; t: UnstableTemplate; words: number } | undefined
    for (let i = 0; i < free.length; i++) {
      const t = templateOf(x, free[i] ?? '')
      if (t !== undefined && (best === undefined || t.words < best.words)) best = { index: i, t, words: t.words }
    }
    if (best === undefined) {
      unaligned.push({ a: x, b: '' })
      continue
    }
    free.splice(best.index, 1)
    templates.set(best.t.regex.source, best.t)
  }
  for (const y of free) unaligned.push({ a: '', b: y })
  return { templates: [...templates.values()], unaligned }
}

/** Lines of `a` not in `b` and of `b` not in `a`, counted with multiplicity, in order. */
export function multisetDifference(a: readonly string[], b: readonly string[]): { onlyA: string[]; onlyB: string[] } {
  const count = new Map<string, number>()
  for (const l of b) count.set(l, (count.get(l) ?? 0) + 1)
  const onlyA: string[] = []
  for (const l of a) {
    const n = count.get(l) ?? 0
    if (n > 0) count.set(l, n - 1)
    else onlyA.push(l)
  }
  const left = new Map<string, number>()
  for (const l of a) left.set(l, (left.get(l) ?? 0) + 1)
  const onlyB: string[] = []
  for (const l of b) {
    const n = left.get(l) ?? 0
    if (n > 0) left.set(l, n - 1)
    else onlyB.push(l)
  }
  return { onlyA, onlyB }
}

/** The template of two lines that differ only in some words, or undefined. */
export function templateOf(x: string, y: string): UnstableTemplate | undefined {
  const px = x.split(WORD)
  const py = y.split(WORD)
  if (px.length !== py.length) return undefined
  let regex = '^'
  let shape = ''
  let words = 0
  // split with a capture group alternates: separator, word, separator, word, ..., separator.
  for (let i = 0; i < px.length; i++) {
    const u = px[i] ?? ''
    const v = py[i] ?? ''
    const isWord = i % 2 === 1
    if (u === v) {
      regex += escapeRegExp(u)
      shape += u
    } else if (isWord) {
      regex += '([A-Za-z0-9]+)'
      shape += '<unstable>'
      words++
    } else {
      return undefined
    }
  }
  return { shape, regex: new RegExp(`${regex}$`), words }
}

/** Replace the varying words of every line that has a template's shape with `<unstable>`. */
export function maskUnstable(text: string, templates: readonly UnstableTemplate[]): string {
  if (templates.length === 0) return text
  return text
    .split('\n')
    .map((line) => {
      for (const t of templates) if (t.regex.test(line)) return t.shape
      return line
    })
    .join('\n')
}

export type Verdict = 'identical' | 'identical-masked' | 'differs' | 'unstable'

export interface Run {
  exitCode: number | null
  /** The report, already through normaliseVolatile. */
  report: string
}

export interface CaseResult {
  verdict: Verdict
  /** Line shapes whose words vary between two runs of the same build. */
  unstable: string[]
  /** The order of lines varies between two runs of one build (lines sorted by a random name): compared as a multiset. */
  orderVaries: boolean
  /** For `differs`: the first differing hunk as unified-diff lines; for `unstable`: what could not be aligned. */
  detail: string[]
}

/**
 * The verdict for one input × format from two runs of each side. Words that vary between
 * the two runs of the SAME build are masked on both sides (and listed). When the masked
 * runs of one side still differ only in the order of their lines (a report sorted by a
 * name the template invents), base and head are compared as multisets of lines. A
 * difference between base and head that survives this, or in exit codes, is `differs`;
 * randomness that cannot be masked so is `unstable` (no verdict, fails too).
 */
export function judge(base: readonly [Run, Run], head: readonly [Run, Run]): CaseResult {
  const learnt = [learnUnstable(base[0].report, base[1].report), learnUnstable(head[0].report, head[1].report)]
  const unaligned = learnt.flatMap((l) => l.unaligned)
  const exitUnstable = base[0].exitCode !== base[1].exitCode || head[0].exitCode !== head[1].exitCode
  if (unaligned.length > 0 || exitUnstable) {
    const detail = exitUnstable
      ? [
          `exit codes vary between runs: base ${base[0].exitCode}/${base[1].exitCode}, head ${head[0].exitCode}/${head[1].exitCode}`,
        ]
      : []
    for (const u of unaligned.slice(0, 2)) detail.push(...firstLines(u.a, '-'), ...firstLines(u.b, '+'))
    return { verdict: 'unstable', unstable: [], orderVaries: false, detail }
  }
  const templates = [...new Map(learnt.flatMap((l) => l.templates).map((t) => [t.regex.source, t])).values()]
  const [b0, b1, h0, h1] = [base[0], base[1], head[0], head[1]].map((r) => maskUnstable(r.report, templates)) as [
    string,
    string,
    string,
    string,
  ]
  const unstable = [...new Set(templates.map((t) => t.shape.trim()))]
  const orderVaries = b0 !== b1 || h0 !== h1
  if (orderVaries && (sortedLines(b0) !== sortedLines(b1) || sortedLines(h0) !== sortedLines(h1))) {
    return {
      verdict: 'unstable',
      unstable,
      orderVaries,
      detail: ['masking the varying words did not make the two runs of one side equal, even as sets of lines'],
    }
  }
  const detail: string[] = []
  if (base[0].exitCode !== head[0].exitCode)
    detail.push(`exit code: base ${base[0].exitCode}, head ${head[0].exitCode}`)
  const same = orderVaries ? b0 === h0 || b0 === h1 || b1 === h0 || sortedLines(b0) === sortedLines(h0) : b0 === h0
  if (!same)
    detail.push(
      ...(orderVaries
        ? [`(lines sorted: their order varies between runs)`, ...firstHunk(sortedLines(b0), sortedLines(h0))]
        : firstHunk(b0, h0)),
    )
  if (detail.length > 0) return { verdict: 'differs', unstable, orderVaries, detail }
  return { verdict: templates.length > 0 ? 'identical-masked' : 'identical', unstable, orderVaries, detail }
}

function sortedLines(text: string): string {
  return text.split('\n').sort().join('\n')
}

function firstLines(text: string, sign: string): string[] {
  return text
    .split('\n')
    .slice(0, 3)
    .map((l) => `${sign}${l}`)
}

/** The first differing line of two texts, as a unified-diff hunk with one line of context. */
export function firstHunk(a: string, b: string, context = 1): string[] {
  const la = a.split('\n')
  const lb = b.split('\n')
  let i = 0
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++
  if (i === la.length && i === lb.length) return []
  const from = Math.max(0, i - context)
  const out = [`@@ -${i + 1} +${i + 1} @@`]
  for (let k = from; k < i; k++) out.push(` ${la[k]}`)
  if (i < la.length) out.push(`-${la[i]}`)
  if (i < lb.length) out.push(`+${lb[i]}`)
  return out
}
