import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import https from 'node:https'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createWebhookCertificates } from '../server/index.js'

/**
 * A real kube-apiserver with its etcd on 127.0.0.1, for the cluster tests (test/cluster)
 * and `npm run bench:audit`. The binaries come from tools/cluster/build.sh (built from the
 * Go module proxy into .tools/, git-ignored); this file only starts and stops them.
 * Recipe and pitfalls: docs/cluster-tests.md.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** Pinned in tools/cluster/build.sh; the binaries' folder. */
export const K8S_VERSION = 'v1.35.4'
export const K8S_BIN = binFolder(process.env)

/** Where the binaries are: PALISADE_K8S_BIN, else .tools/k8s-<version>/bin of the checkout. */
function binFolder(env: NodeJS.ProcessEnv): string {
  return env.PALISADE_K8S_BIN ?? path.join(ROOT, '.tools', `k8s-${K8S_VERSION}`, 'bin')
}

/** What tests need to talk to the running API server (serialisable: passed through vitest's provide/inject). */
export interface ClusterInfo {
  server: string
  /** PEM of the CA that signed the API server's certificate. */
  caCert: string
  /** Bearer token of a system:masters user. */
  token: string
  /** A kubeconfig file (context "test") for the CLI and kubectl. */
  kubeconfig: string
  /** The run folder (pki, etcd data, logs), removed at stop. */
  dir: string
  pids: number[]
}

export interface RunningCluster extends ClusterInfo {
  stop(): Promise<void>
}

/** The go binary: $GO when set (and only it), else PATH, else the usual /usr/local/go; undefined when there is none. */
export function findGo(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const candidate of env.GO ? [env.GO] : ['go', '/usr/local/go/bin/go']) {
    const run = spawnSync(candidate, ['version'], { encoding: 'utf8' })
    if (run.status === 0) return candidate
  }
  return undefined
}

/**
 * Build the binaries when they are missing (tools/cluster/build.sh; a no-op when present).
 * Returns why it could not, or undefined when the binaries are ready.
 */
export function ensureBinaries(
  log: (line: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const go = findGo(env)
  const bin = binFolder(env)
  if (!go)
    return existsSync(path.join(bin, 'kube-apiserver')) && existsSync(path.join(bin, 'etcd'))
      ? undefined
      : 'go is not installed (set GO or put go on PATH), and tools/cluster/build.sh needs it to build kube-apiserver and etcd'
  const started = Date.now()
  const run = spawnSync('bash', [path.join(ROOT, 'tools', 'cluster', 'build.sh')], {
    env: { ...env, GO: go },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const tail = `${run.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ')
  if (run.status !== 0) return `tools/cluster/build.sh failed (exit ${run.status ?? run.signal}): ${tail}`
  log(`${tail} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  return undefined
}

/**
 * Start etcd and kube-apiserver on free 127.0.0.1 ports with fresh certificates and a
 * token, wait for /readyz, and return how to reach them. A watchdog process kills both
 * (by pid) and removes the run folder if this process dies without calling stop().
 */
export async function startCluster(options: { readyTimeoutMs?: number } = {}): Promise<RunningCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-cluster-'))
  const pki = path.join(dir, 'pki')
  mkdirSync(pki)
  const certs = createWebhookCertificates(['kubernetes', 'kubernetes.default.svc'], 2)
  writeFileSync(path.join(pki, 'ca.crt'), certs.caCert)
  writeFileSync(path.join(pki, 'apiserver.crt'), certs.cert)
  writeFileSync(path.join(pki, 'apiserver.key'), certs.key, { mode: 0o600 })
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  writeFileSync(path.join(pki, 'sa.key'), sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
  writeFileSync(path.join(pki, 'sa.pub'), sa.publicKey.export({ type: 'spki', format: 'pem' }))
  const token = randomBytes(16).toString('hex')
  const userToken = randomBytes(16).toString('hex')
  // A system:masters admin, and an ordinary user (no groups) for RBAC tests.
  writeFileSync(
    path.join(pki, 'tokens.csv'),
    `${token},admin,admin-uid,system:masters\n${userToken},alice,alice-uid\n`,
    { mode: 0o600 },
  )

  const [etcdPort, peerPort, apiPort] = await freePorts(3)
  const children: ChildProcess[] = []
  const log = openSync(path.join(dir, 'cluster.log'), 'a')
  const spawnLogged = (bin: string, args: string[]): ChildProcess => {
    const child = spawn(path.join(K8S_BIN, bin), args, { stdio: ['ignore', log, log] })
    children.push(child)
    return child
  }
  const watchdog = startWatchdog(dir)
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) await killAndWait(child)
    watchdog.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const etcdUrl = `http://127.0.0.1:${etcdPort}`
    const etcd = spawnLogged('etcd', [
      '--name',
      'test',
      '--data-dir',
      path.join(dir, 'etcd-data'),
      '--listen-client-urls',
      etcdUrl,
      '--advertise-client-urls',
      etcdUrl,
      '--listen-peer-urls',
      `http://127.0.0.1:${peerPort}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${peerPort}`,
      '--initial-cluster',
      `test=http://127.0.0.1:${peerPort}`,
      '--unsafe-no-fsync',
      '--log-level',
      'warn',
    ])
    watchdog.stdin?.write(`${etcd.pid}\n`)
    const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000)
    await poll(
      deadline,
      () => httpOk(`${etcdUrl}/health`),
      () => exitReason(etcd, dir),
    )
    const api = spawnLogged('kube-apiserver', [
      '--etcd-servers',
      etcdUrl,
      '--bind-address',
      '127.0.0.1',
      '--advertise-address',
      '127.0.0.1',
      '--secure-port',
      String(apiPort),
      '--tls-cert-file',
      path.join(pki, 'apiserver.crt'),
      '--tls-private-key-file',
      path.join(pki, 'apiserver.key'),
      '--token-auth-file',
      path.join(pki, 'tokens.csv'),
      '--authorization-mode',
      'RBAC',
      '--service-account-issuer',
      'https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file',
      path.join(pki, 'sa.pub'),
      '--service-account-signing-key-file',
      path.join(pki, 'sa.key'),
      '--service-cluster-ip-range',
      '10.0.0.0/24',
      // The default (false) makes pod validation reject privileged containers before any policy sees them.
      '--allow-privileged=true',
      // No controller-manager: nothing creates a namespace's default ServiceAccount, so Pods could never be admitted.
      '--disable-admission-plugins',
      'ServiceAccount',
      '--endpoint-reconciler-type',
      'none',
    ])
    watchdog.stdin?.write(`${api.pid}\n`)
    const server = `https://127.0.0.1:${apiPort}`
    await poll(
      deadline,
      () => httpsOk(`${server}/readyz`, certs.caCert, token),
      () => exitReason(api, dir),
    )
    const kubeconfig = path.join(dir, 'kubeconfig')
    writeFileSync(kubeconfig, kubeconfigText(server, certs.caCert, token, userToken), { mode: 0o600 })
    return { server, caCert: certs.caCert, token, kubeconfig, dir, pids: children.map((c) => c.pid as number), stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/** A kubeconfig with context "test" (admin, system:masters) and context "alice" (a user without rights), CA inline. */
function kubeconfigText(server: string, caCert: string, token: string, userToken: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster: {server: "${server}", certificate-authority-data: ${Buffer.from(caCert).toString('base64')}}
contexts:
- name: test
  context: {cluster: test, user: admin}
- name: alice
  context: {cluster: test, user: alice}
current-context: test
users:
- name: admin
  user: {token: ${token}}
- name: alice
  user: {token: ${userToken}}
`
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer()
          s.once('error', reject)
          s.listen(0, '127.0.0.1', () => resolve(s))
        }),
    ),
  )
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port)
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  return ports
}

async function poll(deadline: number, ok: () => Promise<boolean>, dead: () => string | undefined): Promise<void> {
  for (;;) {
    const gone = dead()
    if (gone) throw new Error(gone)
    if (await ok()) return
    if (Date.now() > deadline) throw new Error('the API server did not become ready in time')
    await new Promise((r) => setTimeout(r, 100))
  }
}

function exitReason(child: ChildProcess, dir: string): string | undefined {
  if (child.exitCode === null && child.signalCode === null) return undefined
  let tail = ''
  try {
    tail = readFileSync(path.join(dir, 'cluster.log'), 'utf8').trim().split('\n').slice(-5).join('\n')
  } catch (error) {
    tail = `(no log: ${(error as Error).message})`
  }
  return `${path.basename(child.spawnfile)} exited (${child.exitCode ?? child.signalCode}):\n${tail}`
}

function httpOk(url: string): Promise<boolean> {
  return fetch(url).then(
    (r) => r.ok,
    () => false,
  )
}

function httpsOk(url: string, ca: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(url, { ca, headers: { authorization: `Bearer ${token}` }, timeout: 2000 }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
  })
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/**
 * A detached Node process that reads pids on stdin and, when this process is gone (its
 * stdin closes), SIGKILLs them and removes the run folder: no orphaned API server after a
 * crash of the test runner. Normal stops kill it first.
 */
function startWatchdog(dir: string): ChildProcess {
  const code = `
const pids = []; let buf = ''
process.stdin.on('data', (d) => { buf += d; const lines = buf.split('\\n'); buf = lines.pop(); for (const l of lines) if (l) pids.push(Number(l)) })
process.stdin.on('end', () => { for (const p of pids) { try { process.kill(p, 'SIGKILL') } catch {} }
  require('node:fs').rmSync(${JSON.stringify(dir)}, { recursive: true, force: true }); process.exit(0) })`
  const child = spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'ignore', 'ignore'], detached: true })
  child.unref()
  ;(child.stdin as unknown as { unref?: () => void } | null)?.unref?.()
  return child
}

/** The one line printed when the cluster tests are skipped. */
export function clusterSkipLine(why: string): string {
  return `skipped: ${why}; set PALISADE_REQUIRE_CLUSTER=1 to make this an error`
}
