import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { SqlClient, SqlQueryable } from './sql-client.js'

/**
 * The worker's code, plain CommonJS (evaluated, so the bundled CLI needs no second
 * file): it opens PGlite in the folder and runs the statements it is sent, one at a time.
 * Liftoff only and a small buffer pool, as a brief open in the main thread (pglite-client.ts).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
require('node:v8').setFlagsFromString('--liftoff-only')
const { PGlite } = require(workerData.pglite)
const opened = PGlite.create(workerData.dir, { startParams: [...PGlite.defaultStartParams, ...workerData.startParams] })
const fail = (id, error) => parentPort.postMessage({ id, error: { message: String(error && error.message || error), code: error && error.code } })
opened.then(() => parentPort.postMessage({ id: 0 }), (error) => fail(0, error))
let queue = Promise.resolve()
parentPort.on('message', (m) => {
  queue = queue.then(async () => {
    try {
      const db = await opened
      if (m.kind === 'query') parentPort.postMessage({ id: m.id, rows: (await db.query(m.sql, m.params)).rows })
      else if (m.kind === 'exec') parentPort.postMessage({ id: m.id, rows: (await db.exec(m.sql), []) })
      else {
        await db.close()
        parentPort.postMessage({ id: m.id, rows: [] })
        parentPort.close()
      }
    } catch (error) {
      fail(m.id, error)
    }
  })
})
`

interface Reply {
  id: number
  rows?: object[]
  error?: { message: string; code?: string }
}

/**
 * PGlite in a worker thread, for `scan --record`: the store opens (WebAssembly compile,
 * PostgreSQL start-up: a few hundred ms of CPU) on the second core while the scan keeps
 * the first, and the run is written there while the main thread writes the report.
 * The folder lock stays with the caller. Statements are sent one at a time; a
 * transaction holds the connection until it ends, so nothing else interleaves with it.
 */
export async function startPgliteWorker(dir: string, startParams: readonly string[]): Promise<SqlClient> {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { dir, pglite, startParams: [...startParams] } })
  const pending = new Map<number, { resolve: (rows: object[]) => void; reject: (error: Error) => void }>()
  let nextId = 1
  let dead: Error | undefined
  const settle = (reply: Reply): void => {
    const waiter = pending.get(reply.id)
    pending.delete(reply.id)
    if (reply.error) waiter?.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }))
    else waiter?.resolve(reply.rows ?? [])
  }
  const failAll = (error: Error): void => {
    dead = error
    for (const waiter of pending.values()) waiter.reject(error)
    pending.clear()
  }
  const exited = new Promise((resolve) => worker.once('exit', resolve))
  worker.on('message', settle)
  worker.on('error', failAll)
  worker.on('exit', (code) => failAll(new Error(`the embedded store's thread exited (${code})`)))
  const send = (message: { kind: string; sql?: string; params?: unknown[] }, id = nextId++): Promise<object[]> =>
    new Promise((resolve, reject) => {
      if (dead) return reject(dead)
      pending.set(id, { resolve, reject })
      if (id !== 0) worker.postMessage({ id, ...message })
    })
  try {
    await send({ kind: 'open' }, 0)
  } catch (error) {
    await worker.terminate()
    throw error
  }
  // One user at a time: a transaction's statements, or one statement outside any.
  let turn: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = turn.then(fn)
    turn = result.catch(() => undefined)
    return result
  }
  const direct: SqlQueryable = {
    query: async <R extends object>(sql: string, params?: readonly unknown[]) =>
      (await send({ kind: 'query', sql, ...(params ? { params: [...params] } : {}) })) as R[],
    exec: async (sql) => void (await send({ kind: 'exec', sql })),
  }
  return {
    engine: 'pglite',
    location: dir,
    query: (sql, params) => exclusive(() => direct.query(sql, params)),
    exec: (sql) => exclusive(() => direct.exec(sql)),
    transaction: (fn) =>
      exclusive(async () => {
        await direct.exec('BEGIN')
        try {
          const result = await fn(direct)
          await direct.exec('COMMIT')
          return result
        } catch (error) {
          if (!dead) await direct.exec('ROLLBACK')
          throw error
        }
      }),
    close: () =>
      exclusive(async () => {
        if (dead) return
        await send({ kind: 'close' })
        await exited
      }),
  }
}
