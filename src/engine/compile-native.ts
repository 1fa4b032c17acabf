import { describeError, type KubeObject, type Violation } from '../core/index.js'
import { absoluteFix } from './fix.js'
import { compileMatch } from './match.js'
import { renderTemplate } from './message-template.js'
import type { NativeContext, NativeViolation, PolicySpec } from './policy-spec.js'
import { stablePath } from './stable-path.js'
import type { CompiledPolicy, PolicyInfo, PolicyOutcome } from './types.js'

/**
 * Compile a native (TypeScript) policy. A check that throws yields status `error` with
 * the reason for that resource, so one odd object never stops a run, and never passes.
 */
export function compileNative(
  spec: PolicySpec,
  meta: PolicyInfo,
  params: Readonly<Record<string, unknown>>,
): CompiledPolicy {
  const match = compileMatch(spec.match)
  const toViolation = (v: NativeViolation, prefix: string, root: KubeObject): Violation => {
    const template = spec.messages[v.messageId]
    if (template === undefined)
      throw new Error(`native check of ${spec.id} reported unknown messageId "${v.messageId}"`)
    const path = prefix + v.path
    const violation: Violation = {
      policyId: spec.id,
      messageId: v.messageId,
      message: renderTemplate(template, v.data ?? {}),
      status: v.status ?? 'fail',
      severity: v.severity ?? spec.severity,
      path,
      stablePath: stablePath(root, path),
    }
    if (v.fix) violation.fix = absoluteFix(v.fix, prefix, root)
    return violation
  }
  const failure = (error: unknown, root: KubeObject, path: string): Violation => ({
    policyId: spec.id,
    messageId: 'evaluationError',
    message: `Policy ${spec.id} could not evaluate: ${describeError(error)}`,
    status: 'error',
    severity: spec.severity,
    path,
    stablePath: stablePath(root, path),
  })
  const outcome = (violations: Violation[]): PolicyOutcome => ({
    status: violations.some((v) => v.status === 'fail') ? 'fail' : violations.length > 0 ? 'error' : 'pass',
    violations,
  })

  if (spec.checkAll) {
    const checkAll = spec.checkAll
    return {
      meta,
      kinds: new Set(),
      evaluate: () => undefined,
      ...(spec.reads ? { reads: spec.reads } : {}),
      ...(spec.partRole ? { partRole: spec.partRole } : {}),
      ...(spec.headerRole ? { headerRole: spec.headerRole } : {}),
      evaluateAll(objects, environments) {
        const byIndex = new Map<number, Violation[]>()
        const add = (index: number, v: Violation): void => {
          const list = byIndex.get(index)
          if (list) list.push(v)
          else byIndex.set(index, [v])
        }
        try {
          for (const v of checkAll(objects, { params, environments }))
            add(v.index, toViolation(v, '', objects[v.index] as KubeObject))
        } catch (error) {
          objects.forEach((object, i) => {
            if (match.targets(object, environments[i]).length > 0) add(i, failure(error, object, ''))
          })
        }
        return new Map([...byIndex].map(([i, vs]) => [i, outcome(vs)]))
      },
    }
  }

  const check = spec.check
  if (!check) throw new Error(`policy ${spec.id} has no native check`)
  return {
    meta,
    kinds: match.kinds,
    evaluate(object, context) {
      const targets = match.targets(object, context.environment)
      if (targets.length === 0) return undefined
      const violations: Violation[] = []
      for (const target of targets) {
        try {
          // Assigned, not spread: a conditional spread is V8's slow path, and this runs per policy per object.
          const native: NativeContext = { params, namespaceObject: context.namespaceObject ?? null }
          if (context.environment !== undefined) native.environment = context.environment
          const found = check(target.object, native)
          for (const v of found) violations.push(toViolation(v, target.prefix, object))
        } catch (error) {
          violations.push(failure(error, object, target.prefix))
        }
      }
      return outcome(violations)
    },
  }
}
