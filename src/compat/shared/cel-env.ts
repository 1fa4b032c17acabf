import type { KubeObject } from '../../core/index.js'

/** What evaluating a CEL policy (VAP, Kyverno ValidatingPolicy) needs besides the object. */
export interface CelPolicyEnv {
  operation: string
  oldObject: KubeObject | null
  user: { username: string; groups: readonly string[] }
  namespaceLabels: Readonly<Record<string, string>>
  namespaceObject: KubeObject | null
  objects: readonly KubeObject[]
  /** Image data known without a registry (a test's context file), by reference. */
  image?: (reference: string) => Record<string, unknown> | undefined
  /** The clock of the run (Kyverno's `time.now()`). */
  now: () => Date
}

/** Palisade action of validationActions (VAP bindings, ValidatingPolicy): the strongest of Deny, Warn, Audit. */
export function actionOf(actions: readonly string[]): 'deny' | 'warn' | 'audit' {
  if (actions.includes('Deny')) return 'deny'
  if (actions.includes('Warn')) return 'warn'
  return 'audit'
}
