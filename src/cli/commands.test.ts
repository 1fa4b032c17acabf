import { describe, expect, it } from 'vitest'
import { capturedIo, runInProcess } from './in-process.test-support.js'
import { COMMANDS, commandsFor } from './commands.js'

describe('lazily loaded commands (commands.ts)', () => {
  it('names each command as the command its loader builds', async () => {
    const { io } = capturedIo()
    for (const [name, load] of COMMANDS) expect((await load())(io, () => undefined).name()).toBe(name)
  })

  it('loads only the command a run names, and all of them otherwise', async () => {
    expect(await commandsFor(['scan', '--help'])).toHaveLength(1)
    expect(await commandsFor(['help', 'scan'])).toHaveLength(COMMANDS.length)
    expect(await commandsFor(['--help'])).toHaveLength(COMMANDS.length)
    expect(await commandsFor(['sacn'])).toHaveLength(COMMANDS.length)
    expect(await commandsFor([])).toHaveLength(COMMANDS.length)
    expect(await commandsFor(['--version'])).toHaveLength(0)
    expect(await commandsFor(['-V', 'scan'])).toHaveLength(0)
  })

  it('lists every command in the top-level help', async () => {
    const run = await runInProcess(['--help'])
    expect(run.code).toBe(0)
    for (const [name] of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${name} `, 'm'))
  })

  // `help NAME` loads every command, `NAME --help` only NAME: the same text either way.
  it.each(['scan', 'hook', 'history', 'policies', 'export'])('prints the same help for %s alone', async (name) => {
    const alone = await runInProcess([name, '--help'])
    const withAll = await runInProcess(['help', name])
    expect(alone.stdout).toContain(`Usage: palisade ${name} `)
    expect(alone).toEqual(withAll)
  })

  it('answers a mistyped command with a suggestion from all of them', async () => {
    const run = await runInProcess(['sacn'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('(Did you mean scan?)')
  })
})
