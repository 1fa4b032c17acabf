import { isRecord, type KubeObject, type PatchOperation } from '../../../core/index.js'
import { problemsAdded } from '../../../engine/index.js'
import { admissionRequest, readCelBody, bodyCompileError, type CelBody } from '../../shared/cel-body.js'
import type { CelPolicyEnv } from '../../shared/cel-env.js'
import {
  celBool,
  celCompileError,
  celValue,
  CelPrograms,
  lazyCelVariables,
  type CompiledCel,
} from '../../shared/cel-program.js'
import { CompatError, isCompatError } from '../../shared/errors.js'
import { diffPatch } from '../../shared/json-diff.js'
import { constraintsMatch } from '../../shared/match-constraints.js'
import type { RuleResponse } from '../../shared/rule-response.js'
import { autogenTargets, rewritePodPaths } from '../cel-autogen.js'
import { KYVERNO_CEL, kyvernoLibraries } from '../cel-libraries.js'
import { applyJsonPatch, type JsonPatchOp } from '../mutate/json-patch.js'
import { mergeApplyConfiguration } from './apply-configuration.js'

/** One mutation: a CEL expression yielding an apply configuration or a list of JSON patch operations. */
interface Mutation {
  patchType: 'ApplyConfiguration' | 'JSONPatch'
  cel: CompiledCel
}

/** The policy as written, or an autogen variant whose results land in a pod template. */
interface Variant {
  matchConstraints: unknown
  body: CelBody
  mutations: readonly Mutation[]
  /** Where a pod's fields live in this variant's objects ('' for the policy as written). */
  template: '' | 'spec.template.' | 'spec.jobTemplate.spec.template.'
}

/** A Kyverno MutatingPolicy (policies.kyverno.io), read and compiled once. */
export interface MutatingPolicy {
  name: string
  /** `reinvocationPolicy: IfNeeded`: run again once when later policies changed the object. */
  reinvoke: boolean
  variants: readonly Variant[]
}

/** What a MutatingPolicy did to one object. */
export interface MutationResult {
  responses: RuleResponse[]
  patched: KubeObject
}

function readMutations(spec: Record<string, unknown>, programs: CelPrograms, name: string): Mutation[] {
  const list = Array.isArray(spec.mutations) ? spec.mutations : []
  return list.map((m, i) => {
    if (!isRecord(m)) throw new CompatError('POLICY_INVALID', `MutatingPolicy ${name}: mutations[${i}] is not a map`)
    const patchType = m.patchType
    const source =
      patchType === 'ApplyConfiguration' ? m.applyConfiguration : patchType === 'JSONPatch' ? m.jsonPatch : undefined
    if (!isRecord(source) || typeof source.expression !== 'string')
      throw new CompatError(
        'POLICY_INVALID',
        `MutatingPolicy ${name}: mutations[${i}] needs patchType ApplyConfiguration or JSONPatch with its expression`,
      )
    return {
      patchType: patchType === 'ApplyConfiguration' ? 'ApplyConfiguration' : 'JSONPatch',
      cel: programs.compile(source.expression),
    }
  })
}

/** Read a MutatingPolicy; its expressions (and its autogen variants') compile once. A CEL compile error rejects the policy (CEL_COMPILE). */
export function readMutatingPolicy(doc: KubeObject): MutatingPolicy {
  const name = String((isRecord(doc.metadata) ? doc.metadata.name : '') ?? '')
  const spec = isRecord(doc.spec) ? doc.spec : {}
  const programs = new CelPrograms(KYVERNO_CEL)
  const variant = (s: Record<string, unknown>, matchConstraints: unknown, template: Variant['template']): Variant => {
    const body = readCelBody(s, programs)
    const mutations = readMutations(s, programs, name)
    const err = bodyCompileError(body) ?? mutations.map((m) => celCompileError(m.cel)).find((e) => e !== undefined)
    if (err !== undefined) throw new CompatError('CEL_COMPILE', `MutatingPolicy ${name}: ${err}`)
    return { matchConstraints, body, mutations, template }
  }
  const variants = [variant(spec, spec.matchConstraints, '')]
  for (const { cron, matchConstraints } of autogenTargets(spec)) {
    const rewritten = JSON.parse(
      rewritePodPaths(JSON.stringify({ ...spec, matchConstraints: undefined }), cron),
    ) as Record<string, unknown>
    variants.push(variant(rewritten, matchConstraints, cron ? 'spec.jobTemplate.spec.template.' : 'spec.template.'))
  }
  return { name, reinvoke: spec.reinvocationPolicy === 'IfNeeded', variants }
}

/** Move a pod's apply configuration into the variant's pod template (metadata name and namespace stay the workload's). */
function intoTemplate(config: Record<string, unknown>, template: Variant['template']): Record<string, unknown> {
  if (template === '') return config
  const { spec, metadata, ...rest } = config
  const own: Record<string, unknown> = {}
  const podMeta: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(isRecord(metadata) ? metadata : {}))
    (k === 'name' || k === 'namespace' ? own : podMeta)[k] = v
  let pod: Record<string, unknown> = {
    ...(spec === undefined ? {} : { spec }),
    ...(isRecord(metadata) ? { metadata: podMeta } : {}),
  }
  for (const key of template
    .split('.')
    .filter((p) => p !== '')
    .reverse())
    pod = { [key]: pod }
  return { ...rest, ...pod, ...(Object.keys(own).length > 0 ? { metadata: own } : {}) }
}

/** Move a pod's patch paths into the variant's pod template. */
function patchIntoTemplate(op: JsonPatchOp, template: Variant['template']): JsonPatchOp {
  if (template === '') return op
  const prefix = `/${template
    .split('.')
    .filter((p) => p !== '')
    .join('/')}`
  const move = (p: string | undefined): string | undefined =>
    p !== undefined && /^\/(spec|metadata)(\/|$)/.test(p) && !/^\/metadata\/(name|namespace)$/.test(p) ? prefix + p : p
  const from = move(op.from)
  return { ...op, path: move(op.path) as string, ...(from === undefined ? {} : { from }) }
}

function jsonPatchOps(value: unknown, policy: string): JsonPatchOp[] {
  const list = Array.isArray(value) ? value : [value]
  return list.map((op) => {
    if (!isRecord(op) || typeof op.op !== 'string' || typeof op.path !== 'string')
      throw new CompatError(
        'CEL_RUNTIME',
        `MutatingPolicy ${policy}: a JSONPatch expression must give JSONPatch{op, path, value} values`,
      )
    return {
      op: op.op,
      path: op.path,
      ...(Object.hasOwn(op, 'value') ? { value: op.value } : {}),
      ...(typeof op.from === 'string' ? { from: op.from } : {}),
    }
  })
}

/** The first matchCondition that does not hold; one that cannot be evaluated holds not under failurePolicy Ignore and is an error under Fail. */
function unmetCondition(body: CelBody, activation: Record<string, unknown>): string | undefined {
  for (const c of body.matchConditions) {
    try {
      if (!celBool(c.cel, activation)) return c.name
    } catch (error) {
      if (body.failurePolicy === 'Ignore' && isCompatError(error)) return c.name
      throw error
    }
  }
  return undefined
}

/**
 * Run a MutatingPolicy on an object as Kyverno does: the first variant whose
 * matchConstraints match; matchConditions on the object (false → skip); then every
 * mutation in order, each seeing the object as the mutations before it left it (variables
 * are evaluated afresh for each). The result carries the mutated object and, on the
 * response, the RFC 6902 operations from the original to it. An expression that cannot be
 * evaluated, a patch that does not apply, or a result the API server would reject
 * (engine/api-validation.ts) is an `error` and mutates nothing.
 */
export function runMutatingPolicy(policy: MutatingPolicy, object: KubeObject, env: CelPolicyEnv): MutationResult {
  const request = { operation: env.operation, namespaceLabels: env.namespaceLabels }
  const respond = (status: RuleResponse['status'], message: string, patch?: PatchOperation[]): RuleResponse => ({
    rule: policy.name,
    type: 'mutate',
    status,
    message,
    policyLevel: true,
    ...(patch === undefined ? {} : { patch }),
  })
  const libraries = kyvernoLibraries({
    objects: env.objects,
    ...(env.image === undefined ? {} : { image: env.image }),
    now: env.now,
  })
  const activation = (current: KubeObject): Record<string, unknown> => {
    return {
      ...libraries,
      object: current,
      oldObject: env.oldObject,
      request: admissionRequest(current, env.operation, env.user, env.oldObject),
      params: null,
      namespaceObject: env.namespaceObject,
      variables: null,
    }
  }
  for (const variant of policy.variants) {
    if (!constraintsMatch(variant.matchConstraints, object, request)) continue
    try {
      const first = activation(object)
      first.variables = lazyCelVariables(variant.body.variables, first)
      const unmet = unmetCondition(variant.body, first)
      if (unmet !== undefined)
        return { responses: [respond('skip', `match condition ${unmet} not met`)], patched: object }
      let current = object
      for (const mutation of variant.mutations) {
        const a = activation(current)
        a.variables = lazyCelVariables(variant.body.variables, a)
        const value = celValue(mutation.cel, a)
        if (mutation.patchType === 'ApplyConfiguration') {
          if (!isRecord(value))
            throw new CompatError(
              'CEL_RUNTIME',
              `MutatingPolicy ${policy.name}: an ApplyConfiguration expression must give an Object{...}`,
            )
          current = mergeApplyConfiguration(current, intoTemplate(value, variant.template))
        } else {
          current = applyJsonPatch(
            current,
            jsonPatchOps(value, policy.name).map((op) => patchIntoTemplate(op, variant.template)),
            'strict',
          )
        }
      }
      const problems = problemsAdded(object, current)
      if (problems.length > 0)
        return {
          responses: [
            respond(
              'error',
              `MutatingPolicy ${policy.name} would produce an object the API server rejects: ${problems.join('; ')}`,
            ),
          ],
          patched: object,
        }
      const patch = diffPatch(object, current)
      return { responses: [respond('pass', patch.length === 0 ? 'no change' : 'mutated', patch)], patched: current }
    } catch (error) {
      if (!isCompatError(error)) throw error
      const message =
        error.code === 'POLICY_INVALID' ? `MutatingPolicy ${policy.name}: ${error.message}` : error.message
      return { responses: [respond('error', message)], patched: object }
    }
  }
  return { responses: [], patched: object }
}
