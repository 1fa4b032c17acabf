import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import setup from './cluster/global-setup.js'

// The cluster tests' global setup where they cannot run: one line says why and they skip,
// or with PALISADE_REQUIRE_CLUSTER=1 (CI) the run fails. No Go and no binaries are simulated
// with GO pointing at nothing and an empty binaries folder.
describe('cluster test setup without Go', () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
    vi.restoreAllMocks()
  })
  const noGo = (): void => {
    process.env.GO = path.join(os.tmpdir(), 'no-such-go')
    process.env.PALISADE_K8S_BIN = mkdtempSync(path.join(os.tmpdir(), 'palisade-no-k8s-'))
  }

  it('prints one line saying why and provides no cluster (the tests skip)', async () => {
    noGo()
    delete process.env.PALISADE_REQUIRE_CLUSTER
    const lines: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true))
    const provided: unknown[] = []
    const teardown = await setup({
      provide: (key: string, value: unknown) => void provided.push([key, value]),
    } as never)
    expect(teardown).toBeUndefined()
    expect(provided).toEqual([['cluster', null]])
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^palisade cluster tests: skipped: go is not installed.*PALISADE_REQUIRE_CLUSTER=1/)
  })

  it('fails instead with PALISADE_REQUIRE_CLUSTER=1', async () => {
    noGo()
    process.env.PALISADE_REQUIRE_CLUSTER = '1'
    await expect(setup({ provide: () => {} } as never)).rejects.toThrow(
      /PALISADE_REQUIRE_CLUSTER=1 but go is not installed/,
    )
  })
})
