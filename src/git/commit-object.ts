/** A person line of a commit (`author Name <email> 1700000000 +0100`). */
export interface Ident {
  name: string
  email: string
  /** When, from the Unix timestamp (the time zone offset is kept as written). */
  date: Date
  timezone: string
}

/** What Palisade needs from a raw commit object. */
export interface CommitObject {
  id: string
  tree: string
  parents: string[]
  author: Ident
  committer: Ident
  /** First line of the message. */
  subject: string
  /** The signature header's value (armored), if the commit is signed. */
  signature?: string
  /** The bytes the signature covers: the commit object without its signature headers. */
  payload: Buffer
}

/**
 * Parse a raw commit object as `git cat-file commit` prints it. The signature is taken
 * from `gpgsig` (SHA-1 repositories) or `gpgsig-sha256` (SHA-256 repositories); the
 * payload drops every signature header, as git does before handing it to the verifier.
 *
 * @throws Error when a required header (tree, author, committer) is missing
 */
export function parseCommitObject(id: string, raw: Buffer): CommitObject {
  const signatureHeader = id.length === 64 ? 'gpgsig-sha256' : 'gpgsig'
  const payload: Buffer[] = []
  const signature: string[] = []
  const headers: [string, string][] = []
  let inSignature = false
  let inOtherSignature = false
  let at = 0
  let body = raw.length
  while (at < raw.length) {
    const eol = raw.indexOf(0x0a, at)
    const next = eol < 0 ? raw.length : eol + 1
    const line = raw.subarray(at, next)
    if (line[0] === 0x0a) {
      body = at
      payload.push(raw.subarray(at))
      break
    }
    const text = line.toString('utf8').replace(/\n$/, '')
    if (line[0] === 0x20 && (inSignature || inOtherSignature)) {
      if (inSignature) signature.push(text.slice(1))
    } else if (text.startsWith(`${signatureHeader} `)) {
      inSignature = true
      inOtherSignature = false
      signature.push(text.slice(signatureHeader.length + 1))
    } else if (text.startsWith('gpgsig')) {
      inOtherSignature = true
      inSignature = false
    } else {
      inSignature = false
      inOtherSignature = false
      payload.push(line)
      if (line[0] === 0x20 && headers.length > 0) {
        const last = headers[headers.length - 1] as [string, string]
        last[1] += `\n${text.slice(1)}`
      } else {
        const space = text.indexOf(' ')
        headers.push(space < 0 ? [text, ''] : [text.slice(0, space), text.slice(space + 1)])
      }
    }
    at = next
  }
  const get = (name: string): string => {
    const found = headers.find(([n]) => n === name)
    if (!found) throw new Error(`commit ${id} has no ${name} header`)
    return found[1]
  }
  const message = raw.subarray(Math.min(body + 1, raw.length)).toString('utf8')
  const commit: CommitObject = {
    id,
    tree: get('tree'),
    parents: headers.filter(([n]) => n === 'parent').map(([, v]) => v),
    author: parseIdent(get('author')),
    committer: parseIdent(get('committer')),
    subject: message.split('\n', 1)[0] ?? '',
    payload: Buffer.concat(payload),
  }
  if (signature.length > 0) commit.signature = `${signature.join('\n')}\n`
  return commit
}

/** Parse `Name <email> 1700000000 +0100`. */
export function parseIdent(value: string): Ident {
  const match = /^(.*?) ?<([^>]*)> (\d+) ([+-]\d{4})$/.exec(value)
  if (!match) throw new Error(`malformed identity "${value}"`)
  return {
    name: match[1] as string,
    email: match[2] as string,
    date: new Date(Number(match[3]) * 1000),
    timezone: match[4] as string,
  }
}

/** `Name <email>` for messages. */
export function formatIdent(ident: Ident): string {
  return `${ident.name} <${ident.email}>`
}
