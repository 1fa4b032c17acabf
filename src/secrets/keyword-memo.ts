import { ANY_KEYWORD } from './token-rules.js'

/**
 * `ANY_KEYWORD.test(text)`, remembered for the last few long texts. A scan asks it of the
 * same long value more than once (the ConfigMap, env and args policies' `tokenShapeIn`, then
 * the secret scan's `scanText`), and on a ConfigMap's properties file it costs ~3–5 ns per
 * character each time. The answer is a pure function of the text and `===` compares texts
 * (the same string object at once, another of another length at once), so it is never stale.
 */
export function hasTokenKeyword(text: string): boolean {
  if (text.length < REMEMBER_FROM) return ANY_KEYWORD.test(text)
  for (let i = 0; i < RECENT; i++) if (texts[i] === text) return verdicts[i] === 1
  const verdict = ANY_KEYWORD.test(text)
  texts[next] = text
  verdicts[next] = verdict ? 1 : 0
  next = (next + 1) % RECENT
  return verdict
}

/** Shorter texts are tested directly (a lookup would cost about as much). */
const REMEMBER_FROM = 256
/** How many texts are remembered: a resource's long values between the policies and the secret scan. */
const RECENT = 16
const texts: (string | undefined)[] = new Array<string | undefined>(RECENT).fill(undefined)
const verdicts = new Uint8Array(RECENT)
let next = 0
