import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeOutputFile } from './output-files.js'

// `-o FILE` is written under a temporary name beside FILE and renamed at the end: a run that
// fails (or is interrupted) while the report is written never leaves a partial report at FILE.

const dir = mkdtempSync(join(tmpdir(), 'palisade-output-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Report pieces that fail after the first megabytes, as a run that dies mid-write. */
function* failing(): Generator<string> {
  for (let i = 0; i < 4; i++) yield `{"piece": ${i}, "pad": "${'x'.repeat(1 << 20)}"}\n`
  throw new Error('the run died')
}

describe('writeOutputFile', () => {
  it('leaves no FILE and no temporary file when the report fails mid-write', async () => {
    await expect(writeOutputFile(dir, 'new.json', failing())).rejects.toThrow('the run died')
    expect(readdirSync(dir).filter((f) => f.includes('new.json'))).toEqual([])
  })

  it("keeps an existing FILE's previous report whole when the new one fails", async () => {
    writeFileSync(join(dir, 'old.json'), '{"previous": true}\n')
    await expect(writeOutputFile(dir, 'old.json', failing())).rejects.toThrow('the run died')
    expect(readFileSync(join(dir, 'old.json'), 'utf8')).toBe('{"previous": true}\n')
    expect(readdirSync(dir).filter((f) => f.includes('old.json'))).toEqual(['old.json'])
  })

  it('replaces a report, keeping its mode, and writes through a link to its target', async () => {
    writeFileSync(join(dir, 'kept.json'), 'old')
    chmodSync(join(dir, 'kept.json'), 0o640)
    await writeOutputFile(dir, 'kept.json', ['{"a":', '1}\n'])
    expect(readFileSync(join(dir, 'kept.json'), 'utf8')).toBe('{"a":1}\n')
    expect(statSync(join(dir, 'kept.json')).mode & 0o777).toBe(0o640)
    symlinkSync(join(dir, 'kept.json'), join(dir, 'link.json'))
    await writeOutputFile(dir, 'link.json', 'new\n')
    expect(readFileSync(join(dir, 'kept.json'), 'utf8')).toBe('new\n')
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('writes bytes pieces as they are, in order with the text around them', async () => {
    const big = Buffer.from(`${'é'.repeat(1 << 19)}✓`)
    const pieces = ['{"a": "', 'x'.repeat(3 << 19), Buffer.from('é✓𝄞'), big.subarray(0, 5), big.subarray(5), '"}\n']
    await writeOutputFile(dir, 'bytes.json', pieces)
    expect(readFileSync(join(dir, 'bytes.json'), 'utf8')).toBe(
      `{"a": "${'x'.repeat(3 << 19)}é✓𝄞${'é'.repeat(1 << 19)}✓"}\n`,
    )
  })

  it('writes a device in place (never renames over /dev/null)', async () => {
    await writeOutputFile(dir, '/dev/null', 'report\n')
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true)
  })

  it('reports a missing folder as a usage error naming the path', async () => {
    await expect(writeOutputFile(dir, 'nope/report.json', 'x')).rejects.toThrow(
      'cannot write nope/report.json: its folder does not exist (ENOENT)',
    )
  })
})
