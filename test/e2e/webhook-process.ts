import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { Agent } from 'node:https'
import { request } from 'node:https'
import { createInterface } from 'node:readline'
import { ROOT } from './run-cli.js'

/** A `palisade serve` child process started from the built CLI. */
export interface ServeProcess {
  child: ChildProcess
  port: number
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[]
  exited: Promise<number | null>
}

/** Start `node bin/palisade.js serve ARGS` and wait for its "serving" log line. */
export function startServe(args: readonly string[], cwd: string): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [`${ROOT}bin/palisade.js`, 'serve', '--port', '0', '--host', '127.0.0.1', ...args],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const logs: Record<string, unknown>[] = []
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.stdout?.resume()
  return new Promise((resolve, reject) => {
    let stderr = ''
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr += `${line}\n`
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line) as Record<string, unknown>
      } catch {
        return reject(new Error(`serve wrote a line that is not JSON: ${line}`))
      }
      logs.push(entry)
      if (entry.msg === 'serving') resolve({ child, port: Number(entry.port), logs, exited })
    })
    void exited.then((code) => reject(new Error(`serve exited with ${code} before serving:\n${stderr}`)))
  })
}

/** A response as the API server would read it. */
export interface Reply {
  status: number
  body: string
  json: Record<string, unknown>
}

/** POST a JSON body over HTTPS, trusting only `ca` (the CA from `palisade certs`). */
export function postJson(port: number, path: string, body: unknown, ca: Buffer, agent?: Agent): Promise<Reply> {
  const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port,
        path,
        method: 'POST',
        ca,
        ...(agent ? { agent } : {}),
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString()
          let json: Record<string, unknown> = {}
          try {
            json = JSON.parse(text) as Record<string, unknown>
          } catch {
            // left empty: callers assert on status and body
          }
          resolve({ status: res.statusCode ?? 0, body: text, json })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** Read the decision log's JSON lines. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function decisionLog(file: string): Record<string, any>[] {
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

/** GET a path over HTTPS (health, readiness, metrics), trusting only `ca`. */
export function getText(port: number, path: string, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', servername: 'localhost', port, path, method: 'GET', ca }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => resolve(text))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** A Pod CREATE AdmissionReview as kube-apiserver sends it. */
export function podCreateReview(
  uid: string,
  pod: { name: string; namespace: string; containers: Record<string, unknown>[] },
  username: string,
): { apiVersion: string; kind: string; request: Record<string, unknown> } {
  return podReview(
    uid,
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod.name, namespace: pod.namespace },
      spec: { containers: pod.containers },
    },
    { username },
  )
}

/** A CREATE AdmissionReview of a whole Pod object (its namespace from its metadata), as kube-apiserver sends it. */
export function podReview(
  uid: string,
  object: Record<string, unknown>,
  userInfo: Record<string, unknown>,
): { apiVersion: string; kind: string; request: Record<string, unknown> } {
  const namespace = (object.metadata as { namespace?: string } | undefined)?.namespace
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespace,
      operation: 'CREATE',
      userInfo,
      object,
      oldObject: null,
      dryRun: false,
    },
  }
}
