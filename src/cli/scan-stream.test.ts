import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { streamsReport, streamTuning, writeWithBackpressure } from './scan-stream.js'

describe('streamsReport', () => {
  it('streams JSON and SARIF, unless the run needs the whole result', () => {
    expect(streamsReport({ format: 'json' })).toBe(true)
    expect(streamsReport({ format: 'sarif', output: 'x.sarif' })).toBe(true)
    for (const format of ['text', 'junit', 'markdown', 'policyreport'] as const)
      expect(streamsReport({ format })).toBe(false)
    expect(streamsReport({ format: 'json', baseline: 'main' })).toBe(false)
    expect(streamsReport({ format: 'json', validateSchema: true })).toBe(false)
    expect(streamsReport({ format: 'json', record: true })).toBe(false)
  })
})

describe('streamTuning', () => {
  it('takes PALISADE_THREADS as the number of threads, and leaves the choice to the scan without it', () => {
    expect(streamTuning({})).toEqual({})
    expect(streamTuning({ PALISADE_THREADS: '' })).toEqual({})
    expect(streamTuning({ PALISADE_THREADS: '1' })).toEqual({ threads: 1 })
    expect(streamTuning({ PALISADE_THREADS: '4' })).toEqual({ threads: 4 })
    for (const bad of ['0', '-2', '1.5', 'two', '65'])
      expect(() => streamTuning({ PALISADE_THREADS: bad })).toThrow(expect.objectContaining({ code: 'USAGE' }))
  })
})

describe('writeWithBackpressure', () => {
  it('waits for a slow reader instead of queueing every piece', async () => {
    const got: string[] = []
    let mostQueued = 0
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, callback) {
        got.push(chunk.toString())
        setTimeout(callback, 1)
      },
    })
    const pieces = function* (): Generator<string> {
      for (let i = 0; i < 50; i++) {
        mostQueued = Math.max(mostQueued, slow.writableLength)
        yield `piece ${i};`
      }
    }
    await writeWithBackpressure(slow, pieces())
    await new Promise<void>((resolve) => slow.end(resolve))
    expect(got.join('')).toBe(Array.from({ length: 50 }, (_, i) => `piece ${i};`).join(''))
    // Without waiting, all 50 pieces (~450 bytes) would queue at once.
    expect(mostQueued).toBeLessThan(40)
  })

  it('writes bytes pieces as they are, between text pieces', async () => {
    const got: Buffer[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        got.push(chunk)
        callback()
      },
    })
    const snowman = Buffer.from('☃')
    await writeWithBackpressure(sink, ['a', snowman.subarray(0, 1), snowman.subarray(1), 'b'])
    await new Promise<void>((resolve) => sink.end(resolve))
    expect(Buffer.concat(got).toString()).toBe('a☃b')
  })
})
