import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { discoverFiles } from './discover.js'
import { FileReads, readSource } from './read.js'

const scratch = (): string => mkdtempSync(join(tmpdir(), 'palisade-reads-'))

describe('FileReads: each file of a scan read once', () => {
  it('gives the manifest reader the bytes the inventory read, then forgets them', () => {
    const dir = scratch()
    const file = join(dir, 'a.yaml')
    writeFileSync(file, 'kind: First\n')
    const reads = new FileReads(1024)
    expect(reads.read(file)).toEqual({ bytes: Buffer.from('kind: First\n') })
    writeFileSync(file, 'kind: Second\n')
    // Taken from the first read, not from disk: both readers saw the same bytes.
    const taken = readSource({ path: 'a.yaml', absolutePath: file }, 1024, reads)
    expect(taken).toEqual({ path: 'a.yaml', bytes: Buffer.from('kind: First\n') })
    // Forgotten once taken: a later read goes to disk again.
    expect(reads.read(file)).toEqual({ bytes: Buffer.from('kind: Second\n') })
  })

  it('does not read a file over the limit, and reports it as the reader always did', () => {
    const dir = scratch()
    const file = join(dir, 'big.yaml')
    writeFileSync(file, 'x'.repeat(5000))
    const reads = new FileReads(4096)
    expect(reads.read(file)).toEqual({ tooLarge: 5000 })
    const result = readSource({ path: 'big.yaml', absolutePath: file }, 4096, reads)
    expect(result).toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: expect.stringMatching(/big\.yaml is 5000 bytes, over the 4096-byte limit/),
    })
  })

  it('keeps a failure and reports it where the file is taken', () => {
    const reads = new FileReads(1024)
    const missing = join(scratch(), 'gone.yaml')
    expect(() => reads.read(missing)).toThrow(/ENOENT/)
    expect(readSource({ path: 'gone.yaml', absolutePath: missing }, 1024, reads)).toMatchObject({
      code: 'FILE_UNREADABLE',
      message: expect.stringMatching(/cannot read gone\.yaml: .*ENOENT/),
    })
  })
})

describe('discoverFiles: real paths of folders', () => {
  it('finds a file once when a symlinked folder leads to a folder the walk also visits', async () => {
    const dir = scratch()
    mkdirSync(join(dir, 'base', 'deep'), { recursive: true })
    writeFileSync(join(dir, 'base', 'deep', 'pod.yaml'), 'kind: Pod\n')
    symlinkSync(join(dir, 'base'), join(dir, 'alias'))
    const found = await discoverFiles([dir], { cwd: dir })
    expect(found.files.map((f) => f.path)).toEqual([join('alias', 'deep', 'pod.yaml')])
    expect(found.diagnostics).toEqual([])
  })

  it('reports a loop through a symlink below plain folders, and goes on', async () => {
    const dir = scratch()
    mkdirSync(join(dir, 'a', 'b'), { recursive: true })
    writeFileSync(join(dir, 'a', 'b', 'pod.yaml'), 'kind: Pod\n')
    symlinkSync(join(dir, 'a'), join(dir, 'a', 'b', 'up'))
    const found = await discoverFiles([dir], { cwd: dir })
    expect(found.files.map((f) => f.path)).toEqual([join('a', 'b', 'pod.yaml')])
    expect(found.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/symlink loop: a\/b\/up leads back to .*a; not followed/),
    ])
  })
})
