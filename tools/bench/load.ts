import { Agent, request } from 'node:https'

/** Result of one load run: requests per second and latency percentiles in milliseconds. */
export interface LoadResult {
  requests: number
  errors: number
  seconds: number
  rps: number
  p50: number
  p99: number
  p999: number
}

/**
 * Drive an HTTPS endpoint with `connections` keep-alive connections, each sending the
 * next request as soon as the previous response has been read, until `seconds` have
 * passed or `maxRequests` were sent. With several bodies, requests take them in turn. Latency is from write to the last response byte.
 */
export async function runLoad(options: {
  port: number
  path: string
  body: Buffer | readonly Buffer[]
  ca: Buffer
  connections: number
  seconds: number
  maxRequests: number
}): Promise<LoadResult> {
  const bodies = Buffer.isBuffer(options.body) ? [options.body] : options.body
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections, ca: options.ca })
  const latencies: number[] = []
  let sent = 0
  let errors = 0
  const started = performance.now()
  const deadline = started + options.seconds * 1000
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const body = bodies[sent % bodies.length] as Buffer
      const t0 = performance.now()
      const req = request(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port: options.port,
          path: options.path,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          res.on('data', () => undefined)
          res.on('end', () => {
            if (res.statusCode === 200) latencies.push(performance.now() - t0)
            else errors++
            resolve()
          })
        },
      )
      req.on('error', () => {
        errors++
        resolve()
      })
      req.end(body)
    })
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && sent < options.maxRequests) {
      sent++
      await one()
    }
  }
  await Promise.all(Array.from({ length: options.connections }, worker))
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
  }
}
