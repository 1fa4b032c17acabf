import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * A real PostgreSQL server for tests: the distribution's binaries (Debian `postgresql`,
 * /usr/lib/postgresql/N/bin), a cluster created in a temporary folder, listening on a
 * free loopback port. initdb refuses root, so as root it runs as `nobody`.
 */
export interface PostgresServer {
  url: string
  stop(): Promise<void>
}

/** The newest installed PostgreSQL bin folder, or undefined. */
export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return undefined
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : path.join(base, versions[0], 'bin')
}

/**
 * True when a PostgreSQL server can be started. When it cannot: false (tests skip with
 * that reason), or with PALISADE_REQUIRE_REAL_PARTS=1 (.ci/run) an error.
 */
export function hasPostgres(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (postgresBinDir() !== undefined) return true
  if (env.PALISADE_REQUIRE_REAL_PARTS === '1')
    throw new Error('PALISADE_REQUIRE_REAL_PARTS=1 but PostgreSQL is not installed (apt-get install postgresql)')
  return false
}

/** Start a throw-away server; `stop()` shuts it down and deletes its folder. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir()
  if (bin === undefined) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql/N/bin)')
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-pg-'))
  const asRoot = process.getuid?.() === 0
  const as = asRoot ? { uid: 65534, gid: 65534 } : {}
  if (asRoot) chownSync(dir, 65534, 65534)
  const data = path.join(dir, 'data')
  const init = spawnSync(
    path.join(bin, 'initdb'),
    ['-D', data, '-A', 'trust', '-U', 'palisade', '--no-sync', '-E', 'UTF8'],
    { encoding: 'utf8', cwd: dir, ...as },
  )
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`)
  const port = await freePort()
  const server: ChildProcess = spawn(
    path.join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'TimeZone=UTC',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir, ...as },
  )
  let log = ''
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const ready = path.join(bin, 'pg_isready')
  for (let i = 0; ; i++) {
    if (spawnSync(ready, ['-h', '127.0.0.1', '-p', String(port)]).status === 0) break
    if (i > 200 || server.exitCode !== null) throw new Error(`PostgreSQL did not start: ${log}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url: `postgres://palisade@127.0.0.1:${port}/postgres`,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r))
        // SIGINT is PostgreSQL's fast shutdown.
        server.kill('SIGINT')
        const timer = setTimeout(() => server.kill('SIGKILL'), 15_000)
        await exited
        clearTimeout(timer)
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Create an empty database on the server and return its URL (each test gets its own). */
export async function createDatabase(server: PostgresServer, name: string): Promise<string> {
  const pg = (await import('pg')).default
  const client = new pg.Client({ connectionString: server.url })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`)
  } finally {
    await client.end()
  }
  return server.url.replace(/\/postgres$/, `/${name}`)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
