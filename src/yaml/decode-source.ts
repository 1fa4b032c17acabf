import type { Diagnostic } from '../core/index.js'

const SNIFF_BYTES = 8 * 1024

/** See index.ts. */
export function decodeSource(bytes: Uint8Array, file: string): { text: string } | { diagnostic: Diagnostic } {
  const [b0, b1, b2, b3] = bytes
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)) {
    return notText(file, 'is encoded in UTF-32, which is not supported', bytes, 0, 'Save the file as UTF-8.')
  }
  if (b0 === 0xff && b1 === 0xfe) return decodeUtf16(bytes.subarray(2), 'utf-16le', file)
  if (b0 === 0xfe && b1 === 0xff) return decodeUtf16(bytes.subarray(2), 'utf-16be', file)
  const body = b0 === 0xef && b1 === 0xbb && b2 === 0xbf ? bytes.subarray(3) : bytes
  const nul = body.subarray(0, SNIFF_BYTES).indexOf(0)
  if (nul !== -1)
    return notText(file, 'looks binary: it has a NUL byte', body, nul, 'Palisade reads YAML and JSON text files only.')
  const text = strictDecode(body, 'utf-8')
  if (text === undefined)
    return notText(file, 'is not valid UTF-8', body, firstInvalidUtf8(body), 'Save the file as UTF-8.')
  return { text }
}

function decodeUtf16(
  body: Uint8Array,
  encoding: 'utf-16le' | 'utf-16be',
  file: string,
): { text: string } | { diagnostic: Diagnostic } {
  const text = new TextDecoder(encoding).decode(body)
  const nul = text.slice(0, SNIFF_BYTES).indexOf('\u0000')
  if (nul !== -1)
    return notTextAt(
      file,
      'looks binary: it has a NUL character',
      text.slice(0, nul),
      'Palisade reads YAML and JSON text files only.',
    )
  // Lone surrogates and an odd byte count decode to U+FFFD; a fatal decoder says whether any is real.
  if (text.includes('\uFFFD') && strictDecode(body, encoding) === undefined) {
    const bad = text.indexOf('\uFFFD')
    return notTextAt(
      file,
      `is not valid ${encoding.toUpperCase()}`,
      text.slice(0, Math.max(0, bad)),
      'Save the file as UTF-8.',
    )
  }
  return { text }
}

function strictDecode(body: Uint8Array, encoding: string): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(body)
  } catch {
    // The fatal decoder throws exactly when the input is malformed; the caller reports where.
    return undefined
  }
}

/** Report at byte `at` of `body`; the bytes before it are valid UTF-8. */
function notText(file: string, what: string, body: Uint8Array, at: number, hint: string): { diagnostic: Diagnostic } {
  return notTextAt(file, what, new TextDecoder('utf-8').decode(body.subarray(0, at)), hint)
}

/** Report at the end of `before`, the decoded text that precedes the problem. */
function notTextAt(file: string, what: string, before: string, hint: string): { diagnostic: Diagnostic } {
  const lineStart = before.lastIndexOf('\n') + 1
  const line = before.split('\n').length
  const position = { line, column: before.length - lineStart + 1, offset: before.length }
  return {
    diagnostic: {
      code: 'FILE_NOT_TEXT',
      message: `The file ${what} (line ${line}).`,
      span: { file, start: position, end: position },
      hint,
      severity: 'error',
    },
  }
}

/** Index of the first byte that starts an invalid UTF-8 sequence, or the length (RFC 3629 ranges). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length
  let i = 0
  while (i < n) {
    const b = bytes[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    let low = 0x80
    let high = 0xbf
    if (b >= 0xc2 && b <= 0xdf) need = 1
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      if (b === 0xe0) low = 0xa0
      if (b === 0xed) high = 0x9f
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      if (b === 0xf0) low = 0x90
      if (b === 0xf4) high = 0x8f
    } else return i
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i
    }
    i += need + 1
  }
  return n
}
