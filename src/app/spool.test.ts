import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Spool, SpoolFile } from './spool.js'

describe('Spool', () => {
  it('reads back each segment in any order, multi-byte characters across its megabyte reads included', () => {
    const spool = new Spool()
    try {
      const texts = ['a'.repeat((1 << 20) - 1) + 'é✓𝄞'.repeat(1000), 'plain', '✓'.repeat(700_000)]
      const segments = texts.map((t) => spool.append(t))
      for (const i of [2, 0, 1]) expect([...spool.read(segments[i] as never)].join('')).toBe(texts[i])
    } finally {
      spool.remove()
    }
    expect(existsSync(spool.dir)).toBe(false)
    spool.remove()
  })

  it('reads the file of another thread in its folder, and removes it with its own', () => {
    const spool = new Spool()
    try {
      const theirs = new SpoolFile(spool.fileFor('thread-1'), 'write')
      const at = [theirs.append('first ✓'), theirs.append('second')]
      theirs.close()
      const mine = spool.append('main')
      expect([...spool.read(at[1] as never, 'thread-1')].join('')).toBe('second')
      expect([...spool.read(mine)].join('')).toBe('main')
      expect([...spool.read(at[0] as never, 'thread-1')].join('')).toBe('first ✓')
      expect(() => spool.fileFor('../x')).toThrow()
    } finally {
      spool.remove()
    }
    expect(existsSync(spool.dir)).toBe(false)
  })
})

describe('Spool.readInto', () => {
  it('copies the segments bytes as they are, at the place given, from either file', () => {
    const spool = new Spool()
    try {
      const theirs = new SpoolFile(spool.fileFor('thread-2'), 'write')
      const far = theirs.append('é✓𝄞 theirs')
      theirs.close()
      const big = 'x'.repeat(1 << 20) + '✓'
      const mine = [spool.append('skip'), spool.append(big)]
      const target = Buffer.alloc(3 + (mine[1]?.length ?? 0) + far.length)
      spool.readInto(mine[1] as never, undefined, target, 3)
      spool.readInto(far, 'thread-2', target, 3 + big.length + 2)
      expect(target.subarray(3).toString('utf8')).toBe(`${big}é✓𝄞 theirs`)
      expect(target.subarray(0, 3)).toEqual(Buffer.alloc(3))
      expect(() => spool.readInto(far, 'thread-2', Buffer.alloc(4), 0)).toThrow(/do not fit/)
    } finally {
      spool.remove()
    }
  })
})
