import type { IncomingMessage, ServerResponse } from 'node:http'
import { describeError } from '../core/index.js'
import { BadReview, readAdmissionReview, reviewOf, type AdmissionRequest } from './admission-review.js'
import { decide, type Decision, type FailurePolicy } from './decide.js'
import { decisionRecord, type DecisionRecord } from './decision-log.js'
import { jsonSyntaxProblem, shown } from './echo.js'
import type { PolicyGeneration } from './generation.js'
import { jsonDepthExceeds } from './json-depth.js'
import { lingeringClose } from './linger.js'
import type { JsonLog } from './json-log.js'
import type { WebhookMetrics } from './metrics.js'

/** The API server sends at most 3 MiB (etcd's request limit is about 1.5 MiB; objects grow in JSON). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024
/** Kubernetes objects nest a few dozen levels deep; far deeper is hostile or broken. */
export const MAX_JSON_DEPTH = 200

/** What the handler reads from the server that owns it. */
export interface WebhookState {
  /** The serving policy generation; undefined until the first load. */
  generation(): PolicyGeneration | undefined
  /** False once shutdown has begun. */
  accepting(): boolean
}

export interface HandlerOptions {
  state: WebhookState
  metrics: WebhookMetrics
  log: JsonLog
  failurePolicy: FailurePolicy
  /** `--env`: the environment when neither the path nor the configuration gives one. */
  fallbackEnvironment?: string
  onDecision?: (record: DecisionRecord) => void
  /** `--request-timeout`: milliseconds all policies of one AdmissionReview may take together, from its arrival; none when undefined. */
  requestTimeoutMs?: number
  maxBodyBytes?: number
  maxDepth?: number
  clock?: () => number
}

const ENV_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/
const JSON_TYPE = { 'content-type': 'application/json' }

/**
 * The webhook's request listener: /validate[/ENV], /mutate[/ENV] (POST AdmissionReview
 * v1), /healthz, /readyz, /metrics. Never throws: every request gets a response, and
 * bodies that are too large, malformed, too deep or not AdmissionReviews get a 4xx
 * with a message that says why.
 */
export function createHandler(options: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { state, metrics, log } = options
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH
  const clock = options.clock ?? Date.now

  const send = (
    res: ServerResponse,
    route: string,
    started: number,
    code: number,
    body: string,
    headers: Record<string, string> = JSON_TYPE,
  ): void => {
    if (!state.accepting()) res.setHeader('connection', 'close')
    res.writeHead(code, { ...headers, 'content-length': Buffer.byteLength(body) })
    res.end(body)
    metrics.request(route, code, (performance.now() - started) / 1000)
  }
  const fail = (res: ServerResponse, route: string, started: number, code: number, message: string): void =>
    send(res, route, started, code, JSON.stringify({ error: message }))

  const admit = (
    req: IncomingMessage,
    res: ServerResponse,
    webhook: 'validate' | 'mutate',
    env: string | undefined,
    started: number,
  ): void => {
    const route = `/${webhook}`
    const generation = state.generation()
    if (
      env !== undefined &&
      generation &&
      !generation.loaded.environments.includes(env) &&
      env !== options.fallbackEnvironment
    ) {
      const known = generation.loaded.environments
      return fail(
        res,
        route,
        started,
        404,
        `unknown environment ${shown(env)} in ${route}/<environment>; ${known.length === 0 ? 'the configuration defines no environments' : `the configuration defines ${known.join(', ')}`}`,
      )
    }
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > maxBody)
      return tooLarge(req, res, () =>
        fail(res, route, started, 413, `body of ${declared} bytes is over the ${maxBody}-byte limit`),
      )
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > maxBody) {
        over = true
        chunks.length = 0
        tooLarge(req, res, () => fail(res, route, started, 413, `body is over the ${maxBody}-byte limit`))
      } else chunks.push(chunk)
    })
    req.on('error', (error) => log.warn('request stream failed', { path: route, error: describeError(error) }))
    req.on('end', () => {
      if (over) return
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)
      pending.push(() => {
        try {
          respondToReview(res, route, webhook, env, body, started)
        } catch (error) {
          log.error('request failed', { path: route, error: describeError(error) })
          if (!res.headersSent) fail(res, route, started, 500, `internal error: ${describeError(error)}`)
          else res.destroy()
        }
      })
      if (pending.length === 1) setImmediate(flush)
    })
  }

  // Requests whose bodies complete in the same turn of the event loop are evaluated back
  // to back after the I/O phase: the policies' code and data stay in the CPU caches
  // instead of being pushed out by TLS and HTTP work between each one.
  const pending: (() => void)[] = []
  const flush = (): void => {
    for (const run of pending.splice(0)) {
      try {
        run()
      } catch (error) {
        // run() answers its own errors; reaching here is a bug, and the rest of the batch must still be answered.
        log.error('request failed', { error: describeError(error) })
      }
    }
  }

  const respondToReview = (
    res: ServerResponse,
    route: string,
    webhook: 'validate' | 'mutate',
    env: string | undefined,
    body: Buffer,
    started: number,
  ): void => {
    if (jsonDepthExceeds(body, maxDepth))
      return fail(res, route, started, 400, `JSON nests deeper than ${maxDepth} levels`)
    let parsed: unknown
    try {
      parsed = JSON.parse(body.toString('utf8'))
    } catch (error) {
      return fail(res, route, started, 400, `malformed JSON: ${jsonSyntaxProblem(error)}`)
    }
    let request: AdmissionRequest
    try {
      request = readAdmissionReview(parsed)
    } catch (error) {
      if (error instanceof BadReview)
        return fail(res, route, started, 400, `not an AdmissionReview v1 request: ${error.message}`)
      throw error
    }
    const generation = state.generation()
    if (!generation) return fail(res, route, started, 503, 'no policies loaded yet')
    const fetching = generation.loaded.prefetch?.(request.object)
    if (fetching) {
      const finish = (): void => {
        try {
          decideAndSend(res, route, webhook, env, request, generation, started)
        } catch (error) {
          log.error('request failed', { path: route, error: describeError(error) })
          if (!res.headersSent) fail(res, route, started, 500, `internal error: ${describeError(error)}`)
          else res.destroy()
        }
      }
      fetching.then(finish, (error: unknown) => {
        // Prefetch never rejects by contract; if it does, the facts stay missing and the image policies give errors (failure policy).
        log.error('prefetch failed', { uid: request.uid, error: describeError(error) })
        finish()
      })
      return
    }
    decideAndSend(res, route, webhook, env, request, generation, started)
  }

  const decideAndSend = (
    res: ServerResponse,
    route: string,
    webhook: 'validate' | 'mutate',
    env: string | undefined,
    request: AdmissionRequest,
    generation: PolicyGeneration,
    started: number,
  ): void => {
    let decision: Decision
    try {
      const deadline =
        options.requestTimeoutMs === undefined
          ? {}
          : { deadline: { startedAt: started, timeoutMs: options.requestTimeoutMs, clock: () => performance.now() } }
      decision = decide({
        request,
        mode: webhook,
        pathEnvironment: env,
        fallbackEnvironment: options.fallbackEnvironment,
        generation,
        failurePolicy: options.failurePolicy,
        now: clock(),
        ...deadline,
      })
    } catch (error) {
      // A bug outside policy evaluation: still answer, as the failure policy says.
      log.error('admission decision failed', { uid: request.uid, error: describeError(error) })
      const allowed = options.failurePolicy === 'allow'
      decision = {
        response: {
          uid: request.uid,
          allowed,
          ...(allowed ? {} : { status: { code: 500, message: `Palisade failed: ${describeError(error)}` } }),
        },
        environment: env,
        findings: [],
        evaluationError: describeError(error),
      }
    }
    record(request, decision, webhook, generation)
    send(res, route, started, 200, JSON.stringify(reviewOf(decision.response)))
  }

  const record = (
    request: AdmissionRequest,
    decision: Decision,
    webhook: 'validate' | 'mutate',
    generation: PolicyGeneration,
  ): void => {
    if (decision.evaluationError !== undefined) {
      metrics.evaluationError('(object)') // the whole object could not be evaluated, not one policy
      log.error('evaluation failed', {
        uid: request.uid,
        kind: request.kind.kind,
        error: decision.evaluationError,
        failurePolicy: options.failurePolicy,
      })
    }
    if (webhook === 'validate') {
      for (const f of decision.findings) {
        if (f.status === 'error') metrics.evaluationError(f.policyId)
        metrics.decision(f.policyId, f.waiver ? 'waived' : f.action, request.dryRun)
      }
    }
    metrics.verdict(`/${webhook}`, !decision.response.allowed ? 'denied' : decision.patch ? 'patched' : 'allowed')
    options.onDecision?.(decisionRecord(request, decision, webhook, generation.id, new Date(clock())))
  }

  return (req, res) => {
    const started = performance.now()
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q) // the API server appends ?timeout=10s
    try {
      const [, head, env, extra] = path.split('/')
      if (
        (head === 'validate' || head === 'mutate') &&
        extra === undefined &&
        (env === undefined || ENV_NAME.test(env))
      ) {
        if (req.method !== 'POST') return fail(res, `/${head}`, started, 405, 'use POST')
        return admit(req, res, head, env, started)
      }
      if (path === '/healthz') return send(res, path, started, 200, 'ok\n', { 'content-type': 'text/plain' })
      if (path === '/readyz') {
        const ready = state.accepting() && state.generation() !== undefined
        return send(res, path, started, ready ? 200 : 503, ready ? 'ready\n' : 'not ready\n', {
          'content-type': 'text/plain',
        })
      }
      if (path === '/metrics') {
        metrics.registry.metrics().then(
          (text) => send(res, path, started, 200, text, { 'content-type': metrics.registry.contentType }),
          (error: unknown) => fail(res, path, started, 500, `metrics failed: ${describeError(error)}`),
        )
        return
      }
      return fail(
        res,
        'other',
        started,
        404,
        `no route ${shown(path)}; use /validate, /mutate, /healthz, /readyz or /metrics`,
      )
    } catch (error) {
      log.error('request failed', { path, error: describeError(error) })
      if (!res.headersSent) fail(res, 'other', started, 500, `internal error: ${describeError(error)}`)
      else res.destroy()
    }
  }
}

/** Answer 413 without keeping the rest of the body, then close the connection (discarding what still comes, so the client reads the 413 rather than a reset). */
function tooLarge(req: IncomingMessage, res: ServerResponse, reply: () => void): void {
  req.pause()
  res.setHeader('connection', 'close')
  res.on('finish', () => lingeringClose(req.socket))
  reply()
}
