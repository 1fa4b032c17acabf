import type { ConfigResolver } from '../config/index.js'
import type { CompiledPolicySet } from '../engine/index.js'

/** What a policy load produces: compiled policies and a way to resolve actions on a given day. */
export interface LoadedPolicies {
  policies: CompiledPolicySet
  /** A resolver for the day of `now`: scheduled actions (warn until a date, then deny) change at midnight UTC. */
  resolverAt(now: Date): ConfigResolver
  /** Content hash of every file the load read, to skip reloads that change nothing. */
  hash: string
  /** The configuration's environment names, for `install --print` and logs. */
  environments: readonly string[]
  /**
   * Gather what the policies need from outside the request (image signatures) before it is
   * decided; undefined when everything is known (no I/O on the warm path). Never rejects.
   */
  prefetch?(object: unknown): Promise<void> | undefined
}

/**
 * One complete, immutable set of policies and configuration. The server holds exactly
 * one reference to the current generation and swaps it in a single assignment, so a
 * request sees one generation from start to end.
 */
export class PolicyGeneration {
  private resolver: ConfigResolver
  private resolverUntil: number

  constructor(
    readonly id: number,
    readonly loaded: LoadedPolicies,
    readonly loadedAt: Date,
  ) {
    this.resolver = loaded.resolverAt(loadedAt)
    this.resolverUntil = nextMidnightUtc(loadedAt)
  }

  /** The resolver for `now`, rebuilt once a day (a cheap number comparison per request otherwise). */
  resolverAt(now: number): ConfigResolver {
    if (now >= this.resolverUntil) {
      const date = new Date(now)
      this.resolver = this.loaded.resolverAt(date)
      this.resolverUntil = nextMidnightUtc(date)
    }
    return this.resolver
  }
}

function nextMidnightUtc(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1)
}
