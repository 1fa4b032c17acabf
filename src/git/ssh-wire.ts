/**
 * Reader and writer for the SSH wire encoding (RFC 4251 §5): uint32 big-endian,
 * `string` = uint32 length + bytes, `mpint` = two's complement big-endian string.
 */
export class WireReader {
  private at = 0

  constructor(private readonly buffer: Buffer) {}

  /** True when every byte has been read. */
  get done(): boolean {
    return this.at === this.buffer.length
  }

  /** Read `length` raw bytes. */
  bytes(length: number, what: string): Buffer {
    if (this.at + length > this.buffer.length) throw new Error(`truncated ${what}`)
    const out = this.buffer.subarray(this.at, this.at + length)
    this.at += length
    return out
  }

  /** Read a uint32. */
  uint32(what: string): number {
    return this.bytes(4, what).readUInt32BE(0)
  }

  /** Read a length-prefixed byte string. */
  string(what: string): Buffer {
    return this.bytes(this.uint32(`${what} length`), what)
  }

  /** Read a length-prefixed string as UTF-8 text. */
  text(what: string): string {
    return this.string(what).toString('utf8')
  }

  /** Read an mpint as unsigned big-endian bytes without leading zeros. */
  mpint(what: string): Buffer {
    const raw = this.string(what)
    if (raw.length > 0 && (raw[0] as number) & 0x80) throw new Error(`negative ${what}`)
    let start = 0
    while (start < raw.length && raw[start] === 0) start++
    return raw.subarray(start)
  }
}

/** Encode byte strings and text as SSH `string`s, concatenated. */
export function wireStrings(...parts: readonly (Buffer | string)[]): Buffer {
  const chunks: Buffer[] = []
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part
    const length = Buffer.alloc(4)
    length.writeUInt32BE(bytes.length, 0)
    chunks.push(length, bytes)
  }
  return Buffer.concat(chunks)
}
