import { celPreconditions, validateCel } from './cel-rule.js'
import { UnsupportedFeature } from './errors.js'
import { runMutate } from './mutate/mutate.js'
import type { RuleHooks } from './policy.js'

/** Hooks for features that are not wired in: each makes the rule's result `error`, naming the feature. */
export const UNSUPPORTED_HOOKS: RuleHooks = {
  cel: () => {
    throw new UnsupportedFeature('validate.cel')
  },
  podSecurity: () => {
    throw new UnsupportedFeature('validate.podSecurity')
  },
  mutate: () => {
    throw new UnsupportedFeature('mutate')
  },
  generate: () => {
    throw new UnsupportedFeature('generate')
  },
  celPreconditions: () => {
    throw new UnsupportedFeature('celPreconditions')
  },
}

/** The hooks `palisade test` and scans use. */
export function defaultHooks(_now: () => Date): RuleHooks {
  return { ...UNSUPPORTED_HOOKS, cel: validateCel, celPreconditions, mutate: runMutate }
}
