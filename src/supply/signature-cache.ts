import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ToolError, describeError, type SignatureFact } from '../core/index.js'

/**
 * Signature verdicts by image digest and trust: in memory, and on disk when a folder is
 * given (one JSON file per key, written atomically). Only verdicts are stored (verified,
 * unsigned, untrusted); a check that failed (`error`) is never cached, so it is retried.
 */
export class SignatureCache {
  private readonly memory = new Map<string, SignatureFact>()

  constructor(private readonly dir?: string) {}

  /** The cache key of `repository@digest` checked against one trust configuration. */
  static key(repositoryAtDigest: string, trustId: string): string {
    return createHash('sha256').update(`${repositoryAtDigest}\n${trustId}`).digest('hex')
  }

  async get(key: string): Promise<SignatureFact | undefined> {
    const hit = this.memory.get(key)
    if (hit || this.dir === undefined) return hit
    let text: string
    try {
      text = await readFile(path.join(this.dir, `${key}.json`), 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new ToolError('FILE_UNREADABLE', `cannot read the image cache: ${describeError(error)}`, { cause: error })
    }
    const fact = parseFact(text)
    if (fact) this.memory.set(key, fact)
    return fact
  }

  /** Synchronous lookup of what is already in memory (the webhook's warm path). */
  peek(key: string): SignatureFact | undefined {
    return this.memory.get(key)
  }

  async set(key: string, fact: SignatureFact): Promise<void> {
    if (fact.status === 'error') return
    this.memory.set(key, fact)
    if (this.dir === undefined) return
    try {
      await mkdir(this.dir, { recursive: true })
      const file = path.join(this.dir, `${key}.json`)
      // Unique per write: two lookups of one digest (a tag and its digest) may finish at once.
      const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
      await writeFile(temp, `${JSON.stringify(fact)}\n`)
      await rename(temp, file)
    } catch (error) {
      throw new ToolError('FILE_UNREADABLE', `cannot write the image cache ${this.dir}: ${describeError(error)}`, {
        cause: error,
      })
    }
  }
}

function parseFact(text: string): SignatureFact | undefined {
  try {
    const json = JSON.parse(text) as SignatureFact
    if (json.status === 'verified' && typeof json.signer === 'string')
      return { status: 'verified', signer: json.signer }
    if ((json.status === 'unsigned' || json.status === 'untrusted') && typeof json.reason === 'string')
      return { status: json.status, reason: json.reason }
  } catch {
    // A damaged cache file is a miss: the image is checked again (or, offline, not checked).
  }
  return undefined
}
