import type { CheckResult } from '../core/index.js'
import { redactSecretsInFile } from '../git/index.js'

/**
 * The result with every secret blanked out of the source texts kept for code frames, so no
 * report format can print one: a credential found by the rules, and the values of
 * plaintext Secrets.
 */
export function withRedactedSources(result: CheckResult): CheckResult {
  return { ...result, sources: new RedactedSources(result.sources) }
}

/**
 * The source texts, each redacted the first time a report reads it: a JSON or SARIF report
 * reads none, a text report only the files its code frames show, so a large scan does not
 * pay for scanning every file again.
 */
class RedactedSources implements ReadonlyMap<string, string> {
  readonly #raw: ReadonlyMap<string, string>
  readonly #done = new Map<string, string>()
  constructor(raw: ReadonlyMap<string, string>) {
    this.#raw = raw
  }
  get size(): number {
    return this.#raw.size
  }
  has(file: string): boolean {
    return this.#raw.has(file)
  }
  get(file: string): string | undefined {
    const cached = this.#done.get(file)
    if (cached !== undefined) return cached
    const text = this.#raw.get(file)
    if (text === undefined) return undefined
    const redacted = redactSecretsInFile(file, text)
    this.#done.set(file, redacted)
    return redacted
  }
  *entries(): MapIterator<[string, string]> {
    for (const file of this.#raw.keys()) yield [file, this.get(file) as string]
  }
  keys(): MapIterator<string> {
    return this.#raw.keys()
  }
  *values(): MapIterator<string> {
    for (const [, text] of this.entries()) yield text
  }
  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries()
  }
  forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [file, text] of this.entries()) callback(text, file, this)
  }
}
