/**
 * A regular expression that `test`s true exactly when a text contains one of `keywords`,
 * written as a trie: alternatives grouped by their first character, then by the next
 * (`a(?:ws|ssword)|A(?:KIA|SIA|...)|...`), and a keyword that another extends stands for both.
 * V8's irregexp tries a flat alternation's 46 keywords one by one at every character a
 * keyword may start with; the trie dispatches once per character (measured 15–20% less CPU
 * per character on the dense corpus's values and findings' messages and paths). For `test`
 * only: a match is the shortest keyword at its place, not the one a flat alternation finds.
 */
export function keywordTrie(keywords: readonly string[]): RegExp {
  if (keywords.length === 0) return /(?!)/
  const root: TrieNode = { next: new Map(), end: false }
  for (const keyword of keywords) {
    let node = root
    for (const ch of keyword) {
      let child = node.next.get(ch)
      if (child === undefined) node.next.set(ch, (child = { next: new Map(), end: false }))
      node = child
    }
    node.end = true
  }
  return new RegExp(sourceOf(root))
}

interface TrieNode {
  next: Map<string, TrieNode>
  end: boolean
}

function sourceOf(node: TrieNode): string {
  // A keyword ends here: whatever follows, the text already holds one.
  if (node.end) return ''
  const alternatives = [...node.next].map(([ch, child]) => escaped(ch) + sourceOf(child))
  return alternatives.length === 1 ? (alternatives[0] as string) : `(?:${alternatives.join('|')})`
}

const escaped = (ch: string): string => ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
