import { isRecord, type KubeObject } from '../../core/index.js'
import { resolver, type RuleContext } from './context.js'
import { CompatError, unsupported } from '../shared/errors.js'
import { substituteAll } from './substitute.js'
import type { RuleStatus } from '../shared/rule-response.js'

/**
 * A generate rule with `data`: the resource it would create (apiVersion, kind, name,
 * namespace and data, variables substituted). Clone sources and foreach generation need a
 * cluster and are unsupported.
 */
export function runGenerate(
  rule: Record<string, unknown>,
  _resource: KubeObject,
  ctx: RuleContext,
): { status: RuleStatus; message: string; generated: KubeObject[] } {
  const spec = isRecord(rule.generate) ? rule.generate : {}
  if (spec.clone !== undefined || spec.cloneList !== undefined)
    throw unsupported('generate.clone', 'cloning needs the source objects of a cluster')
  if (spec.foreach !== undefined) throw unsupported('generate.foreach')
  if (spec.data === undefined) throw new CompatError('POLICY_INVALID', 'generate has neither data nor clone')
  const g = substituteAll(
    { apiVersion: spec.apiVersion, kind: spec.kind, name: spec.name, namespace: spec.namespace, data: spec.data },
    resolver(ctx),
  ) as Record<string, unknown>
  const data = isRecord(g.data) ? g.data : {}
  const dataMeta = isRecord(data.metadata) ? data.metadata : {}
  const metadata: Record<string, unknown> = { ...dataMeta, name: g.name }
  if (typeof g.namespace === 'string' && g.namespace !== '') metadata.namespace = g.namespace
  const { metadata: _m, ...rest } = data
  return {
    status: 'pass',
    message: 'generated',
    generated: [{ apiVersion: g.apiVersion, kind: g.kind, metadata, ...rest }],
  }
}
