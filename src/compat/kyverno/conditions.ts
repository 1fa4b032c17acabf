import { isRecord } from '../../core/index.js'
import { CompatError } from '../shared/errors.js'
import { evaluateOperator, isConditionOperator } from './operators.js'
import { substituteAll, type Resolver } from './substitute.js'

/** Outcome of a condition block: whether it holds, and the messages of failed conditions. */
export interface ConditionOutcome {
  holds: boolean
  message: string
}

function one(condition: unknown, resolve: Resolver): { holds: boolean; message: string } {
  if (!isRecord(condition))
    throw new CompatError('POLICY_INVALID', 'a condition must be a map with key, operator and value')
  const operator = String(condition.operator ?? '')
  if (!isConditionOperator(operator))
    throw new CompatError('POLICY_INVALID', `unknown condition operator "${operator}"`)
  const key = substituteAll(condition.key ?? null, resolve)
  const value = substituteAll(condition.value ?? null, resolve)
  const holds = evaluateOperator(operator, key, value)
  return { holds, message: typeof condition.message === 'string' ? condition.message : '' }
}

/**
 * Evaluate preconditions or deny conditions: a list (all must hold, the legacy form) or
 * `{any, all}` (any: at least one; all: every one; both must hold). Substitution errors
 * propagate as CompatError (the rule's result is error).
 */
export function evaluateConditions(conditions: unknown, resolve: Resolver): ConditionOutcome {
  if (conditions === undefined || conditions === null) return { holds: true, message: '' }
  if (Array.isArray(conditions)) {
    for (const c of conditions) {
      const r = one(c, resolve)
      if (!r.holds) return { holds: false, message: r.message }
    }
    return { holds: true, message: '' }
  }
  if (!isRecord(conditions)) throw new CompatError('POLICY_INVALID', 'conditions must be a list or a map with any/all')
  const messages: string[] = []
  let anyHolds = true
  if (Array.isArray(conditions.any)) {
    anyHolds = false
    for (const c of conditions.any) {
      const r = one(c, resolve)
      if (r.holds) {
        anyHolds = true
        break
      }
      if (r.message) messages.push(r.message)
    }
  }
  let allHold = true
  if (Array.isArray(conditions.all)) {
    for (const c of conditions.all) {
      const r = one(c, resolve)
      if (!r.holds) {
        allHold = false
        if (r.message) messages.push(r.message)
        break
      }
    }
  }
  return { holds: anyHolds && allHold, message: messages.join('; ') }
}
