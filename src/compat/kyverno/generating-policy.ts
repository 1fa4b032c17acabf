import { isRecord, type KubeObject } from '../../core/index.js'
import { evalError, overload, type FunctionTable } from '../../engine/index.js'
import { admissionRequest, bodyCompileError, readCelBody, type CelBody } from '../shared/cel-body.js'
import type { CelPolicyEnv } from '../shared/cel-env.js'
import {
  celBool,
  celCompileError,
  celValue,
  CelPrograms,
  lazyCelVariables,
  type CompiledCel,
} from '../shared/cel-program.js'
import { CompatError, isCompatError } from '../shared/errors.js'
import { constraintsMatch } from '../shared/match-constraints.js'
import type { RuleResponse } from '../shared/rule-response.js'
import { KYVERNO_CEL, kyvernoLibraries } from './cel-libraries.js'

/**
 * Kyverno GeneratingPolicy (policies.kyverno.io): matchConstraints, matchConditions,
 * variables, and `generate` expressions calling `generator.Apply(namespace, objects)`.
 * Palisade writes nothing to a cluster: the objects the policy would create are collected
 * and reported (the test runner compares them with `generatedResource`; a scan lists them).
 */
export interface GeneratingPolicy {
  name: string
  body: CelBody
  matchConstraints: unknown
  generate: readonly CompiledCel[]
}

/** The value behind `generator` in an activation: collects what Apply would create. */
class Generator {
  readonly objects: KubeObject[] = []
}

const GENERATOR_FUNCTIONS: FunctionTable = {
  ...KYVERNO_CEL.functions,
  Apply: {
    member: [
      overload(['dyn', 'string', 'list'], 'bool', (g: unknown, namespace: string, objects: unknown[]) => {
        if (!(g instanceof Generator)) throw evalError("Apply() is a function of Kyverno's generator library")
        for (const o of objects) {
          if (!isRecord(o) || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string')
            throw evalError('generator.Apply: every object needs apiVersion and kind')
          const meta = isRecord(o.metadata) ? o.metadata : {}
          g.objects.push({ ...o, metadata: { ...meta, ...(namespace === '' ? {} : { namespace }) } } as KubeObject)
        }
        return true
      }),
    ],
  },
}

/** Read a GeneratingPolicy; a CEL compile error rejects it (CEL_COMPILE). */
export function readGeneratingPolicy(doc: KubeObject): GeneratingPolicy {
  const name = String((isRecord(doc.metadata) ? doc.metadata.name : '') ?? '')
  const spec = isRecord(doc.spec) ? doc.spec : {}
  const programs = new CelPrograms({
    ...KYVERNO_CEL,
    variables: [...(KYVERNO_CEL.variables ?? []), 'generator'],
    functions: GENERATOR_FUNCTIONS,
  })
  const body = readCelBody(spec, programs)
  const generate = (Array.isArray(spec.generate) ? spec.generate : []).map((g, i) => {
    if (!isRecord(g) || typeof g.expression !== 'string')
      throw new CompatError('POLICY_INVALID', `GeneratingPolicy ${name}: generate[${i}] needs an expression`)
    return programs.compile(g.expression)
  })
  const err = bodyCompileError(body) ?? generate.map(celCompileError).find((e) => e !== undefined)
  if (err !== undefined) throw new CompatError('CEL_COMPILE', `GeneratingPolicy ${name}: ${err}`)
  return { name, body, matchConstraints: spec.matchConstraints, generate }
}

/** Run a GeneratingPolicy on its trigger: the objects it would generate, or skip / error. */
export function runGeneratingPolicy(policy: GeneratingPolicy, object: KubeObject, env: CelPolicyEnv): RuleResponse[] {
  if (
    !constraintsMatch(policy.matchConstraints, object, {
      operation: env.operation,
      namespaceLabels: env.namespaceLabels,
    })
  )
    return []
  const respond = (status: RuleResponse['status'], message: string, generated?: KubeObject[]): RuleResponse[] => [
    {
      rule: policy.name,
      type: 'generate',
      status,
      message,
      policyLevel: true,
      ...(generated === undefined ? {} : { generated }),
    },
  ]
  const generator = new Generator()
  const activation: Record<string, unknown> = {
    ...kyvernoLibraries({
      objects: env.objects,
      ...(env.image === undefined ? {} : { image: env.image }),
      now: env.now,
    }),
    generator,
    object,
    oldObject: env.oldObject,
    request: admissionRequest(object, env.operation, env.user, env.oldObject),
    params: null,
    namespaceObject: env.namespaceObject,
    variables: null,
  }
  activation.variables = lazyCelVariables(policy.body.variables, activation)
  try {
    for (const c of policy.body.matchConditions)
      if (!celBool(c.cel, activation)) return respond('skip', `match condition ${c.name} not met`)
    for (const g of policy.generate) celValue(g, activation)
  } catch (error) {
    if (!isCompatError(error)) throw error
    return respond('error', error.message)
  }
  const names = generator.objects.map(
    (o) =>
      `${String(o.kind)} ${isRecord(o.metadata) ? `${o.metadata.namespace === undefined ? '' : `${String(o.metadata.namespace)}/`}${String(o.metadata.name ?? '')}` : ''}`,
  )
  return respond(
    'pass',
    names.length === 0 ? 'generates nothing' : `would generate ${names.join(', ')}`,
    generator.objects,
  )
}
