import { appendFileSync, readdirSync, readFileSync } from 'node:fs'
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8'

/** One line of a trace: when a thread reached a point of the run, its CPU and its heap then. */
export interface TraceMark {
  /** Milliseconds since the epoch (performance.timeOrigin + now: the same clock in every thread). */
  at: number
  /** 0: the main thread; 1, 2, ...: workers. */
  thread: number
  event: string
  /** This thread's CPU time so far (user + system, 10 ms resolution), when the system tells it. */
  cpuMs?: number
  /** This thread's V8 heap (MiB): used, committed, and memory outside it (Buffers). */
  heapUsed: number
  heapTotal: number
  external: number
  /** Committed MiB of each of V8's spaces that holds more than a MiB (new_space, old_space, code_space, ...). */
  spaces: Record<string, number>
  /** The process's resident set (MiB): every thread's heap and more. */
  rss: number
  /** With `tasks`: CPU time (ms) of each of the process's threads so far, by the name the system gives it. */
  tasks?: Record<string, number>
}

const MiB = 1024 * 1024
/** Files between two samples of the heap while a pass goes on. */
const SAMPLE_EVERY = 50

/**
 * A timeline of a streaming scan, for measuring how the threads spend the run (not printed:
 * PALISADE_TRACE=FILE appends one JSON line per mark to FILE, from every thread;
 * `npx tsx tools/bench/trace-report.ts FILE` summarizes it). Without the variable, marks
 * cost a test of a field.
 */
export class StreamTrace {
  readonly #file: string | undefined
  readonly #thread: number

  constructor(env: Readonly<Record<string, string | undefined>>, thread: number) {
    const file = env.PALISADE_TRACE
    this.#file = file === undefined || file === '' ? undefined : file
    this.#thread = thread
  }

  get on(): boolean {
    return this.#file !== undefined
  }

  /** Record that this thread reached `event` (`tasks`: with the CPU of every thread of the process, GC and compiler helpers included). */
  mark(event: string, tasks = false): void {
    if (this.#file === undefined) return
    const heap = getHeapStatistics()
    const usage = process.memoryUsage()
    const cpuMs = threadCpuMs()
    const mark: TraceMark = {
      at: performance.timeOrigin + performance.now(),
      thread: this.#thread,
      event,
      ...(cpuMs === undefined ? {} : { cpuMs }),
      heapUsed: heap.used_heap_size / MiB,
      heapTotal: heap.total_heap_size / MiB,
      external: heap.external_memory / MiB,
      spaces: Object.fromEntries(
        getHeapSpaceStatistics()
          .filter((space) => space.space_size > MiB)
          .map((space) => [space.space_name, Math.round(space.space_size / MiB)]),
      ),
      rss: usage.rss / MiB,
      ...(tasks ? { tasks: tasksCpuMs() } : {}),
    }
    appendFileSync(this.#file, `${JSON.stringify(mark)}\n`)
  }

  /** A sample of the heap every few files of a pass (`done`: files this thread finished in it). */
  sample(pass: 'read' | 'check', done: number): void {
    if (this.#file !== undefined && done % SAMPLE_EVERY === 0) this.mark(`${pass} sample`)
  }
}

/** Every thread's CPU time (Linux: /proc/self/task), by thread name and id; empty elsewhere. */
function tasksCpuMs(): Record<string, number> {
  const out: Record<string, number> = {}
  try {
    for (const task of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out[`${name} ${task}`] = (Number(fields[11]) + Number(fields[12])) * 10
    }
  } catch {
    // Not Linux, or a thread ended while listed: what was read so far.
  }
  return out
}

/** The calling thread's CPU time (Linux: /proc/thread-self/stat, in clock ticks of 10 ms); else undefined. */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8')
    // The command name (field 2) may hold spaces; fields 14 and 15 (utime, stime) count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}
