import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { GitFixture } from '../testing/index.js'
import { createDatabase, hasPostgres, startPostgres, type PostgresServer } from '../testing/postgres-server.js'

// What the CLI tests of a ref's latest run share (history-latest, scan-record-rewrite): a pod
// that is privileged or not in production, and a store on each engine.

export const pod = (privileged: boolean): string => `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop }
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: { privileged: ${privileged} }
`
export const CONFIG = 'environments:\n  - name: production\n    paths: ["clusters/production/**"]\n'
export const ARGS = ['--no-render', '--policies', 'disallow-privileged-containers']

export interface StoreEngine {
  name: string
  skip: boolean
  /** A new, empty store on this engine (a PGlite folder, or a PostgreSQL database URL). */
  store: () => Promise<string>
}

/**
 * Registers the file's hooks (a PostgreSQL server when installed, stopped at the end; Git
 * fixtures removed after each test; a scratch folder) and answers both engines and a maker of
 * Git fixtures. `name` prefixes the scratch folder and the databases.
 */
export function storeEngines(name: string): { engines: StoreEngine[]; fixture: () => GitFixture } {
  let pg: PostgresServer | undefined
  const fixtures: GitFixture[] = []
  const scratch = mkdtempSync(path.join(tmpdir(), `palisade-${name}-cli-`))
  beforeAll(async () => {
    if (hasPostgres()) pg = await startPostgres()
  })
  afterEach(() => fixtures.splice(0).forEach((f) => f.cleanup()))
  afterAll(async () => {
    await pg?.stop()
    rmSync(scratch, { recursive: true, force: true })
  })
  let n = 0
  return {
    engines: [
      { name: 'pglite', skip: false, store: async () => path.join(scratch, `pglite-${++n}`) },
      {
        name: 'postgres',
        skip: !hasPostgres(),
        store: async () => createDatabase(pg as PostgresServer, `${name}${++n}`),
      },
    ],
    fixture: () => {
      const fx = new GitFixture()
      fixtures.push(fx)
      return fx
    },
  }
}
