import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { SqlClient, SqlQueryable, Statement } from './sql-client.js'

/**
 * The worker's code, plain CommonJS (evaluated, so the bundled CLI needs no second
 * file): it opens PGlite in the folder and runs what it is sent, one request at a time.
 * Liftoff only and a small buffer pool, as a brief open in the main thread (pglite-client.ts).
 * A batch runs all its statements in one transaction here, with no round trip to the main
 * thread between them: that thread is busy with the scan's report while the run is written.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
require('node:v8').setFlagsFromString('--liftoff-only')
const { PGlite } = require(workerData.pglite)
const opened = PGlite.create(workerData.dir, { startParams: [...PGlite.defaultStartParams, ...workerData.startParams] })
let openError
opened.catch((error) => { openError = error })
const fail = (id, error, open) => parentPort.postMessage({ id, open, error: { message: String(error && error.message || error), code: error && error.code } })
let queue = Promise.resolve()
parentPort.on('message', (m) => {
  queue = queue.then(async () => {
    const db = await opened.catch(() => undefined)
    try {
      if (m.kind === 'close') {
        if (db) await db.close()
        parentPort.postMessage({ id: m.id, rows: [] })
        parentPort.close()
      } else if (!db) fail(m.id, openError, true)
      else if (m.kind === 'query') parentPort.postMessage({ id: m.id, rows: (await db.query(m.sql, m.params)).rows })
      else if (m.kind === 'exec') parentPort.postMessage({ id: m.id, rows: (await db.exec(m.sql), []) })
      else {
        const results = await db.transaction(async (tx) => {
          const out = []
          for (const s of m.statements) {
            const options = s.blob === undefined ? undefined : { blob: new Blob([s.blob]) }
            out.push((await tx.query(s.sql, s.params, options)).rows)
          }
          return out
        })
        parentPort.postMessage({ id: m.id, results })
      }
    } catch (error) {
      fail(m.id, error, false)
    }
  })
})
`

interface Reply {
  id: number
  rows?: object[]
  results?: object[][]
  /** The error is PGlite's failure to open the folder. */
  open?: boolean
  error?: { message: string; code?: string }
}

type Request =
  | { kind: 'query'; sql: string; params?: unknown[] }
  | { kind: 'exec'; sql: string }
  | { kind: 'batch'; statements: Statement[] }
  | { kind: 'close' }

/**
 * PGlite in a worker thread, for `scan --record`: the store opens (WebAssembly compile,
 * PostgreSQL start-up: a few hundred ms of CPU) on the second core while the scan keeps
 * the first, and the run is written there while the main thread writes the report.
 * It returns at once: requests queue in the worker until PGlite is open, so the schema
 * check is sent now and answered without the main thread's help (the scan keeps it busy).
 * A failure to open rejects every request with `openError(cause)`. The folder lock stays
 * with the caller. A transaction holds the connection until it ends, so nothing else
 * interleaves with it.
 */
export function startPgliteWorker(
  dir: string,
  startParams: readonly string[],
  openError: (cause: Error) => Error,
): SqlClient {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { dir, pglite, startParams: [...startParams] } })
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>()
  let nextId = 1
  let dead: Error | undefined
  const settle = (reply: Reply): void => {
    const waiter = pending.get(reply.id)
    pending.delete(reply.id)
    if (!reply.error) return waiter?.resolve(reply)
    const error = Object.assign(new Error(reply.error.message), { code: reply.error.code })
    waiter?.reject(reply.open === true ? openError(error) : error)
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
  const send = (message: Request): Promise<Reply> =>
    new Promise((resolve, reject) => {
      if (dead) return reject(dead)
      const id = nextId++
      pending.set(id, { resolve, reject })
      worker.postMessage({ id, ...message })
    })
  // One user at a time: a transaction's statements, a batch, or one statement outside any.
  let turn: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = turn.then(fn)
    turn = result.catch(() => undefined)
    return result
  }
  const direct: SqlQueryable = {
    query: async <R extends object>(sql: string, params?: readonly unknown[]) =>
      ((await send({ kind: 'query', sql, ...(params ? { params: [...params] } : {}) })).rows ?? []) as R[],
    exec: async (sql) => void (await send({ kind: 'exec', sql })),
  }
  return {
    engine: 'pglite',
    location: dir,
    query: (sql, params) => exclusive(() => direct.query(sql, params)),
    exec: (sql) => exclusive(() => direct.exec(sql)),
    batch: (statements) =>
      exclusive(async () => {
        const reply = await send({
          kind: 'batch',
          statements: statements.map((s) => ({
            sql: s.sql,
            ...(s.params ? { params: [...s.params] } : {}),
            ...(s.blob === undefined ? {} : { blob: s.blob }),
          })),
        })
        return (reply.results ?? []) as never
      }),
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
