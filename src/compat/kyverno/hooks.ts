import { celPreconditions, validateCel } from './cel-rule.js'
import { unsupported } from '../shared/errors.js'
import { runGenerate } from './generate.js'
import { runMutate } from './mutate/mutate.js'
import { podSecurityHook, type PodSecurityEvaluator } from './pod-security.js'
import type { RuleHooks } from './policy.js'

/** Hooks for features that are not wired in: each makes the rule's result `error`, naming the feature. */
export const UNSUPPORTED_HOOKS: RuleHooks = {
  cel: () => {
    throw unsupported('validate.cel')
  },
  podSecurity: () => {
    throw unsupported('validate.podSecurity')
  },
  mutate: () => {
    throw unsupported('mutate')
  },
  generate: () => {
    throw unsupported('generate')
  },
  celPreconditions: () => {
    throw unsupported('celPreconditions')
  },
}

/**
 * The hooks `palisade test` and scans use: validate.cel and celPreconditions through the
 * engine's CEL, mutate and generate (data), podSecurity through the given Pod Security
 * Standards evaluator (error when none is given).
 */
export function defaultHooks(podSecurity?: PodSecurityEvaluator): RuleHooks {
  return {
    cel: validateCel,
    celPreconditions,
    mutate: runMutate,
    generate: runGenerate,
    podSecurity: podSecurityHook(podSecurity),
  }
}
