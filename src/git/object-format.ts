/** One object read from the repository. */
export interface GitObject {
  id: string
  type: 'blob' | 'tree' | 'commit' | 'tag'
  data: Buffer
}

/** One entry of `git ls-tree -r` or `git ls-files --stage`. */
export interface TreeEntry {
  /** Octal file mode: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  mode: string
  type: 'blob' | 'tree' | 'commit'
  id: string
  /** Path relative to the repository root, with forward slashes. */
  path: string
}

/**
 * Parse `git cat-file --batch` output: for each request, `<id> <type> <size>\n<data>\n`,
 * or `<request> missing\n` (also `ambiguous`). Sizes are in bytes, so binary data is safe.
 */
export function parseBatchOutput(out: Buffer): (GitObject | undefined)[] {
  const objects: (GitObject | undefined)[] = []
  let at = 0
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at)
    if (eol < 0) throw new Error(`truncated cat-file header at byte ${at}`)
    const header = out.subarray(at, eol).toString('utf8')
    at = eol + 1
    const match = /^([0-9a-f]{40,64}) (blob|tree|commit|tag) (\d+)$/.exec(header)
    if (!match) {
      if (/ (missing|ambiguous)$/.test(header)) {
        objects.push(undefined)
        continue
      }
      throw new Error(`unexpected cat-file header "${header}"`)
    }
    const size = Number(match[3])
    if (at + size > out.length) throw new Error(`truncated object ${match[1]}`)
    objects.push({ id: match[1] as string, type: match[2] as GitObject['type'], data: out.subarray(at, at + size) })
    at += size + 1
  }
  return objects
}

/** Parse `git ls-tree -r -z` output: `<mode> <type> <id>\t<path>\0` records. */
export function parseTreeListing(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = []
  for (const record of out.toString('utf8').split('\0')) {
    if (record === '') continue
    const match = /^(\d+) (blob|tree|commit) ([0-9a-f]+)\t(.+)$/s.exec(record)
    if (!match) throw new Error(`unexpected ls-tree record "${record}"`)
    entries.push({
      mode: match[1] as string,
      type: match[2] as TreeEntry['type'],
      id: match[3] as string,
      path: match[4] as string,
    })
  }
  return entries
}
