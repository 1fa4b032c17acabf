/**
 * The added lines of a unified diff (as `git show -U0` prints it), by new file path:
 * 1-based line numbers in the new version of each file. Deleted files, binary files and
 * mode-only changes add nothing.
 */
export function addedLines(patch: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>()
  let file: string | undefined
  let next = 0
  let remaining = 0
  for (const line of patch.split('\n')) {
    if (remaining > 0 && line.startsWith('+') && file !== undefined) {
      out.get(file)?.add(next++)
      remaining--
      continue
    }
    if (line.startsWith('diff ')) {
      file = undefined
      remaining = 0
    } else if (line.startsWith('+++ ')) {
      const name = line.slice(4)
      file = name === '/dev/null' ? undefined : stripPrefix(unquote(name))
      if (file !== undefined && !out.has(file)) out.set(file, new Set())
    } else if (line.startsWith('@@')) {
      const match = /^@@+ (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @@/.exec(line)
      if (match) {
        next = Number(match[1])
        remaining = match[2] === undefined ? 1 : Number(match[2])
      }
    }
  }
  for (const [file, lines] of out) if (lines.size === 0) out.delete(file)
  return out
}

function stripPrefix(name: string): string {
  return name.startsWith('b/') ? name.slice(2) : name
}

/** Undo git's C-style quoting of unusual path names ("a\tb", octal escapes). */
function unquote(name: string): string {
  if (!name.startsWith('"') || !name.endsWith('"')) return name
  const bytes: number[] = []
  const body = name.slice(1, -1)
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 }
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'))
      continue
    }
    const nextCh = body[i + 1] ?? ''
    if (/[0-7]/.test(nextCh)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8))
      i += 3
    } else {
      bytes.push(escapes[nextCh] ?? nextCh.charCodeAt(0))
      i += 1
    }
  }
  return Buffer.from(bytes).toString('utf8')
}
