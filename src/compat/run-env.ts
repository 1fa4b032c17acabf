import type { KubeObject } from '../core/index.js'
import type { Jmespath } from './kyverno/jmespath.js'
import type { RuleHooks, RuleValues } from './kyverno/policy.js'
import type { UserInfo } from './kyverno/request.js'
import type { RuleResponse } from './shared/rule-response.js'

/**
 * What a user policy needs to run on one resource, whoever runs it: a scan
 * (compiled.ts), the admission webhook (through compiled.ts) or the kyverno-test runner.
 */
export interface PolicyRunEnv {
  operation: string
  oldObject: KubeObject | null
  user: UserInfo
  namespaceLabels: Readonly<Record<string, string>>
  values: RuleValues
  lookup(apiVersion: string, kind: string, namespace: string, name: string): KubeObject | undefined
  list(apiVersion: string, kind: string, namespace: string | undefined): KubeObject[]
  jp: Jmespath
  hooks: RuleHooks
  /** All objects of the run (params of CEL policies, bindings). */
  objects: readonly KubeObject[]
  /** The run's Namespace objects by name, when the runner has them (a template's namespaceObject). */
  namespaces?: ReadonlyMap<string, KubeObject>
  /** Image data known without a registry (a test's context file), by reference. */
  image?: (reference: string) => Record<string, unknown> | undefined
  /** The clock of the run (Kyverno's CEL `time.now()`); the wall clock when absent. */
  now?: () => Date
}

/** A user policy that can run (Kyverno policies, CEL policies, VAPs). */
export interface RunnablePolicy {
  /** Name as a test refers to it: the name, or namespace/name for a namespaced Policy. */
  testName: string
  /** Run the mutate phase once more when later policies changed the object (reinvocationPolicy: IfNeeded). */
  reinvoke?: boolean
  run(
    resource: KubeObject,
    env: PolicyRunEnv,
    phase: 'mutate' | 'rest',
  ): { responses: RuleResponse[]; patched: KubeObject }
}
