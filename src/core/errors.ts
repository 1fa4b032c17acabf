import type { SourceSpan } from './span.js'

/**
 * Every problem Palisade reports has one of these codes. Input problems become
 * {@link Diagnostic}s and the run goes on; edge failures throw {@link ToolError}.
 */
export type ErrorCode =
  /** input: the file is not valid YAML or JSON (has a span) */
  | 'YAML_SYNTAX'
  /** input: a mapping repeats a key (has a span) */
  | 'YAML_DUPLICATE_KEY'
  /** input: the file is not UTF-8 text, or looks binary */
  | 'FILE_NOT_TEXT'
  /** input: the file is larger than the configured limit */
  | 'FILE_TOO_LARGE'
  /** edge: the file or folder could not be read (permissions, symlink loop, vanished) */
  | 'FILE_UNREADABLE'
  /** input: a document that looks like a Kubernetes object but is not one (kind without apiVersion, ...) */
  | 'RESOURCE_INVALID'
  /** input: a policy fails the policy schema (has a span when it came from a file) */
  | 'POLICY_INVALID'
  /** input: a CEL expression does not compile */
  | 'CEL_COMPILE'
  /** input: palisade.yaml fails its schema (has a span) */
  | 'CONFIG_INVALID'
  /** input: a waiver is malformed, lacks a reason, or has expired */
  | 'WAIVER_INVALID'
  | 'WAIVER_EXPIRED'
  /** usage: bad command-line arguments */
  | 'USAGE'
  /** edge: helm or kustomize exited non-zero, or is not installed */
  | 'RENDER_FAILED'
  /** input: an object does not match the Kubernetes schema of its kind (--validate-schema; has a span) */
  | 'SCHEMA_INVALID'
  /** input: no Kubernetes schema for an object's kind (custom resources); skipped, not failed */
  | 'SCHEMA_SKIPPED'
  /** edge: git is missing, the folder is not a repository, or a git command failed (bad ref, ...) */
  | 'GIT_FAILED'
  /** a bug: should be impossible */
  | 'INTERNAL'

/** A problem with user input, collected so that one run reports every problem. */
export interface Diagnostic {
  code: ErrorCode
  message: string
  span?: SourceSpan
  /** How to fix it, when known. */
  hint?: string
  severity?: 'error' | 'warning'
}

/**
 * A failure at an edge (I/O, usage, a bug). Pure code returns Diagnostics instead.
 *
 * @example
 * throw new ToolError('USAGE', 'unknown format "xml"', { hint: 'use text, json, sarif or junit' })
 */
export class ToolError extends Error {
  override readonly name = 'ToolError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { span?: SourceSpan; hint?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
  }
}

/** Exhaustiveness check for switches over unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new ToolError('INTERNAL', `unexpected ${what}: ${JSON.stringify(value)}`)
}

/** Render any thrown value as a one-line reason, keeping the cause chain. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    if (error.cause === undefined) return error.message
    // Messages often already quote their cause ("cannot read X: ENOENT ..."): say it once.
    const cause = describeError(error.cause)
    return error.message.includes(cause) ? error.message : `${error.message}: ${cause}`
  }
  return String(error)
}
