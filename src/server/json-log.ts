/** A structured logger: one JSON object per line. */
export interface JsonLog {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

/** Log JSON lines (`{"time","level","msg",...fields}`) to a stream (stderr in `serve`). */
export function jsonLog(out: { write(line: string): unknown }, now: () => Date = () => new Date()): JsonLog {
  const line = (level: string, msg: string, fields?: Record<string, unknown>): void => {
    out.write(`${JSON.stringify({ time: now().toISOString(), level, msg, ...fields })}\n`)
  }
  return {
    info: (msg, fields) => line('info', msg, fields),
    warn: (msg, fields) => line('warn', msg, fields),
    error: (msg, fields) => line('error', msg, fields),
  }
}
