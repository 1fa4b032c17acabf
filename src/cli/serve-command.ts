import cluster from 'node:cluster'
import { createWriteStream, type WriteStream } from 'node:fs'
import path from 'node:path'
import { Command, InvalidArgumentError, Option } from 'commander'
import { ACTIONS, describeError } from '../core/index.js'
import type { FailurePolicy } from '../server/index.js'
import { evalTimeoutArg } from './eval-limits.js'
import { AdmissionRecorder } from './admission-recorder.js'
import { storeLocation } from './store-access.js'
import { loadConfig } from '../app/index.js'
import { EXIT, type CliIo, type SignalSource } from './io.js'
import { pssVersionArg } from './pss-version.js'
import { loadServePolicies, watchedPaths, type PolicyOptions as PolicyFlags } from '../app/index.js'
import { runPrimary } from './serve-workers.js'
import { withImageOptions } from './image-options.js'
import type { ImageOptions } from '../app/index.js'

interface ServeFlags extends PolicyFlags, ImageOptions {
  tlsCert?: string
  tlsKey?: string
  insecureHttp?: boolean
  port: number
  host: string
  env?: string
  failurePolicy: FailurePolicy
  decisionLog?: string
  record?: boolean
  store?: string
  watch: boolean
  shutdownDelay: number
  shutdownTimeout: number
  handshakeTimeout: number
  requestTimeout: number
  workers: number
}

/** Default `--request-timeout`: well inside the 5 s timeoutSeconds `palisade install` sets, leaving time for TLS, queueing and the answer's trip back. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 3_000

/** `palisade serve`: the admission webhook. */
export function serveCommand(io: CliIo, setExit: (code: number) => void, signals: SignalSource = process): Command {
  return withImageOptions(new Command('serve'))
    .description(
      'Run the admission webhook: AdmissionReview v1 over HTTPS on /validate and /mutate, with /healthz, /readyz and /metrics.',
    )
    .option(
      '--tls-cert <file>',
      'serving certificate (PEM), e.g. tls.crt from `palisade certs`; reloaded when it changes',
    )
    .option('--tls-key <file>', 'private key of the certificate (PEM)')
    .option('--insecure-http', 'serve plain HTTP instead of HTTPS (local testing only; the API server requires HTTPS)')
    .addOption(new Option('--port <n>', 'port to listen on').default(8443).argParser(port))
    .option('--host <address>', 'address to listen on', '0.0.0.0')
    .option(
      '-e, --env <name>',
      'environment of requests whose path names none and whose namespace no environment in palisade.yaml matches',
    )
    .option('-p, --policies <list>', 'policy sets and ids, comma-separated (as in scan)')
    .option(
      '--policy-dir <dir>',
      'also run the Kyverno policies and ValidatingAdmissionPolicies of this folder (reloaded on change); MutatingPolicy mutations are returned by /mutate',
    )
    .option(
      '-c, --config <file>',
      'configuration file (default: palisade.yaml in the working directory; reloaded on change)',
    )
    .addOption(
      new Option('--pss-version <version>', 'Pod Security Standards version to check: latest or v1.N').argParser(
        pssVersionArg,
      ),
    )
    .addOption(
      new Option('--action <action>', 'default action for findings the configuration sets no action for').choices(
        ACTIONS,
      ),
    )
    .addOption(
      new Option(
        '--eval-timeout <ms>',
        'most time one --policy-dir policy may take on one object; past it the policy gives an error (see --failure-policy)',
      ).argParser(evalTimeoutArg),
    )
    .addOption(
      new Option(
        '--request-timeout <ms>',
        'most time all policies of one AdmissionReview may take together; past it the rest are not evaluated and the request is answered as --failure-policy says. Keep it below the webhook timeoutSeconds',
      )
        .default(DEFAULT_REQUEST_TIMEOUT_MS)
        .argParser(evalTimeoutArg),
    )
    .addOption(
      new Option(
        '--failure-policy <policy>',
        'when a policy cannot be evaluated: allow (with a warning and an error metric) or deny',
      )
        .choices(['allow', 'deny'])
        .default('deny'),
    )
    .option('--decision-log <file>', 'append every decision as a JSON line to this file')
    .option('--no-watch', 'do not reload policies and configuration when their files change')
    .addOption(
      new Option('--shutdown-delay <ms>', 'after SIGTERM, keep serving this long (not ready) so endpoints update first')
        .default(0)
        .argParser(nonNegative),
    )
    .addOption(
      new Option('--shutdown-timeout <ms>', 'after SIGTERM, cut connections still open after this long')
        .default(25_000)
        .argParser(nonNegative),
    )
    .addOption(
      new Option('--handshake-timeout <ms>', 'close a connection whose TLS handshake is not done after this long')
        .default(10_000)
        .argParser(positive),
    )
    .addOption(
      new Option('--workers <n>', 'processes sharing the port (node:cluster); in Kubernetes keep 1 and scale replicas')
        .default(1)
        .argParser(workerCount),
    )
    .option(
      '--record',
      'record admission decisions in the findings store every 10 s: counts per minute by policy, action, environment and namespace, and each denial in full (kept palisade.yaml store.retentionDays, default 90)',
    )
    .addOption(
      new Option(
        '--store <dir|url>',
        'findings store for --record: a folder or postgres://user@host:port/db (also PALISADE_STORE_URL)',
      ),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (flags: ServeFlags) => {
      setExit(await runServe(flags, io, signals))
    })
}

async function runServe(flags: ServeFlags, io: CliIo, signals: SignalSource): Promise<number> {
  // A registry lookup must end well inside the request's time, so that an unreachable registry is answered by the failure policy, not by the API server's timeout.
  flags.registryTimeout ??= Math.max(100, Math.floor(flags.requestTimeout * 0.6))
  // Loaded here, not at start-up: every other command would pay for the server's dependencies.
  const { jsonLog, PolicyReloader, watchFiles, WebhookMetrics, WebhookServer } = await import('../server/index.js')
  const log = jsonLog(io.stderr, io.now)
  if (!flags.insecureHttp && (flags.tlsCert === undefined || flags.tlsKey === undefined)) {
    io.stderr.write(
      'palisade: serve needs --tls-cert and --tls-key (create them with `palisade certs`), or --insecure-http for local testing\n',
    )
    return EXIT.USAGE
  }
  if (flags.workers > 1 && cluster.isPrimary) {
    await loadServePolicies(flags, io) // a bad configuration is a usage error here, before any worker starts
    return runPrimary(flags.workers, log, signals)
  }
  const metrics = new WebhookMetrics()
  let watchList: string[] = []
  const reloader = new PolicyReloader(
    async () => {
      const loaded = await loadServePolicies(flags, io)
      watchList = watchedPaths(flags, loaded.config, io)
      return loaded
    },
    metrics,
    log,
    io.now,
  )
  await reloader.reload() // a bad configuration at start is a usage error (exit 2), reported by main
  const decisions: WriteStream | undefined =
    flags.decisionLog === undefined
      ? undefined
      : createWriteStream(path.resolve(io.cwd, flags.decisionLog), { flags: 'a' })
  decisions?.on('error', (error) =>
    log.error('decision log write failed', { file: flags.decisionLog, error: describeError(error) }),
  )
  const recorder = flags.record
    ? await admissionRecorder(flags, io, (error) =>
        log.error('recording admission decisions failed', { error: describeError(error) }),
      )
    : undefined
  recorder?.start()
  const tls = flags.insecureHttp
    ? undefined
    : { certFile: path.resolve(io.cwd, flags.tlsCert as string), keyFile: path.resolve(io.cwd, flags.tlsKey as string) }
  const server = await WebhookServer.create({
    tls,
    generation: () => reloader.generation(),
    log,
    metrics,
    failurePolicy: flags.failurePolicy,
    requestTimeoutMs: flags.requestTimeout,
    ...(flags.env === undefined ? {} : { fallbackEnvironment: flags.env }),
    ...(decisions || recorder
      ? {
          onDecision: (record) => {
            decisions?.write(`${JSON.stringify(record)}\n`)
            recorder?.add(record)
          },
        }
      : {}),
    shutdownDelayMs: flags.shutdownDelay,
    shutdownTimeoutMs: flags.shutdownTimeout,
    timeouts: { handshakeMs: flags.handshakeTimeout },
  })
  const watcher =
    flags.watch && watchList.length > 0
      ? await watchFiles(watchList, () => void reloader.reload(), {
          onError: (e) => log.error('policy watch failed', { error: describeError(e) }),
        })
      : undefined
  const port = await server.listen(flags.port, flags.host)
  log.info(cluster.isWorker ? 'worker serving' : 'serving', {
    port,
    ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}),
    host: flags.host,
    tls: tls !== undefined,
    watching: watchList,
    failurePolicy: flags.failurePolicy,
    action: flags.action ?? null,
  })
  if (!tls) log.warn('serving plain HTTP (--insecure-http): for local testing only')

  const signal = await new Promise<string>((resolve) => {
    signals.once('SIGTERM', () => resolve('SIGTERM'))
    signals.once('SIGINT', () => resolve('SIGINT'))
  })
  log.info('shutting down', { signal })
  watcher?.close()
  await server.shutdown()
  if (decisions) await new Promise<void>((resolve) => decisions.end(resolve))
  await recorder?.stop()
  log.info('stopped')
  if (cluster.isWorker) cluster.worker?.disconnect() // the IPC channel would keep a drained worker alive
  return EXIT.OK
}

/** `serve --record`: where decisions go and how long they are kept (palisade.yaml store section). */
async function admissionRecorder(
  flags: ServeFlags,
  io: CliIo,
  onError: (error: unknown) => void,
): Promise<AdmissionRecorder> {
  const config = await loadConfig(flags.config, [], io)
  return new AdmissionRecorder(storeLocation(flags.store, config, io), {
    intervalMs: 10_000,
    retentionDays: config.store?.retentionDays ?? 90,
    now: io.now,
    onError,
    maxBuffered: 100_000,
  })
}

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`expected a port number, got "${value}"`)
  return n
}

function workerCount(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError(`expected 1 to 64 workers, got "${value}"`)
  return n
}

function positive(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected milliseconds (a whole number above 0), got "${value}"`)
  return n
}

function nonNegative(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected milliseconds (a whole number), got "${value}"`)
  return n
}

const EXAMPLES = `
Examples:
  palisade certs --out certs --dns palisade-webhook.palisade-system.svc
  palisade serve --tls-cert certs/tls.crt --tls-key certs/tls.key --config palisade.yaml
  palisade serve --insecure-http --port 8080 --action warn      local testing only

Environments: a request to /validate/<env> is in that environment (install --print
registers one webhook entry per environment, selected by the namespace label
palisade.dev/environment); /validate uses palisade.yaml's environment namespaces, else --env.
Logs are JSON lines on stderr. SIGTERM: readiness goes false, in-flight requests finish.`
