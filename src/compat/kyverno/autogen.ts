import { isRecord } from '../../core/index.js'

/** Kinds whose pod template Kyverno's autogen covers. */
export const AUTOGEN_CONTROLLERS = [
  'DaemonSet',
  'Deployment',
  'Job',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'CronJob',
] as const
const NON_CRON = new Set(['DaemonSet', 'Deployment', 'Job', 'StatefulSet', 'ReplicaSet', 'ReplicationController'])
const POD_AND_CONTROLLERS = new Set<string>(['Pod', ...AUTOGEN_CONTROLLERS])

/** The annotation that selects (or, with `none`, disables) autogen controllers. */
export const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers'

type Raw = Record<string, unknown>

const kindName = (k: string): string => {
  const parts = k.split('/')
  // group/version/Kind, version/Kind or Kind, possibly with a /subresource
  const last = parts[parts.length - 1] as string
  return /^[a-z]/.test(last) && parts.length > 1 ? (parts[parts.length - 2] as string) : last
}
const containsKind = (kinds: unknown, kind: string): boolean =>
  Array.isArray(kinds) && kinds.some((k) => typeof k === 'string' && kindName(k) === kind)

function descriptions(block: unknown): Raw[] {
  if (!isRecord(block)) return []
  const out: Raw[] = []
  if (isRecord(block.resources)) out.push(block.resources)
  for (const key of ['any', 'all']) {
    const list = block[key]
    if (Array.isArray(list)) for (const f of list) if (isRecord(f) && isRecord(f.resources)) out.push(f.resources)
  }
  return out
}

/** Kyverno's CanAutoGen: may this policy's rules be generated for pod controllers at all? */
function canAutogen(rules: readonly Raw[]): boolean {
  let needed = false
  for (const rule of rules) {
    if (rule.generate !== undefined) return false
    const mutate = rule.mutate
    if (isRecord(mutate)) {
      if (typeof mutate.patchesJson6902 === 'string' && mutate.patchesJson6902 !== '') return false
      if (
        Array.isArray(mutate.foreach) &&
        mutate.foreach.some((f) => isRecord(f) && typeof f.patchesJson6902 === 'string' && f.patchesJson6902 !== '')
      )
        return false
    }
    for (const d of [...descriptions(rule.match), ...descriptions(rule.exclude)]) {
      const kinds = Array.isArray(d.kinds) ? d.kinds : []
      if (
        (typeof d.name === 'string' && d.name !== '') ||
        (Array.isArray(d.names) && d.names.length > 0) ||
        d.selector !== undefined ||
        d.annotations !== undefined
      )
        return false
      if (kinds.length > 1 && containsKind(kinds, 'Pod')) return false
      if (kinds.some((k) => typeof k === 'string' && POD_AND_CONTROLLERS.has(kindName(k)))) needed = true
    }
  }
  return needed
}

function allKinds(block: unknown): string[] {
  return descriptions(block).flatMap((d) =>
    Array.isArray(d.kinds) ? d.kinds.filter((k): k is string => typeof k === 'string') : [],
  )
}

function withKinds(block: unknown, kinds: string[], onlyPod: boolean): unknown {
  if (!isRecord(block)) return block
  const out: Raw = { ...block }
  const replace = (filter: unknown): unknown => {
    if (!isRecord(filter) || !isRecord(filter.resources)) return filter
    if (onlyPod && !containsKind(filter.resources.kinds, 'Pod')) return filter
    return { ...filter, resources: { ...filter.resources, kinds } }
  }
  if (Array.isArray(block.any) && block.any.length > 0) out.any = block.any.map(replace)
  else if (Array.isArray(block.all) && block.all.length > 0) out.all = block.all.map(replace)
  else if (isRecord(block.resources)) out.resources = { ...block.resources, kinds }
  return out
}

const wrap = (key: string, value: unknown): Raw => ({ spec: { [key]: value } })

/** Build the generated rule from a source rule (Kyverno's generateRule), or undefined. */
function generateRule(name: string, rule: Raw, key: string, kinds: string[], onlyPod: boolean): Raw | undefined {
  const out: Raw = { ...rule, name, match: withKinds(rule.match, kinds, onlyPod) }
  if (isRecord(rule.exclude)) {
    const ex = rule.exclude
    const hasFilters = (Array.isArray(ex.any) && ex.any.length > 0) || (Array.isArray(ex.all) && ex.all.length > 0)
    if (hasFilters || (isRecord(ex.resources) && Array.isArray(ex.resources.kinds) && ex.resources.kinds.length > 0)) {
      out.exclude = withKinds(ex, kinds, onlyPod)
    }
  }
  const mutate = rule.mutate
  if (isRecord(mutate)) {
    if (mutate.patchStrategicMerge !== undefined) {
      out.mutate = { patchStrategicMerge: wrap(key, mutate.patchStrategicMerge) }
      return out
    }
    if (Array.isArray(mutate.foreach) && mutate.foreach.length > 0) {
      out.mutate = {
        foreach: mutate.foreach.map((f: unknown) => {
          const fe = isRecord(f) ? f : {}
          return {
            list: fe.list,
            context: fe.context,
            preconditions: fe.preconditions,
            patchStrategicMerge: wrap(key, fe.patchStrategicMerge),
          }
        }),
      }
      return out
    }
  }
  const validate = rule.validate
  if (isRecord(validate)) {
    const base = {
      message: validate.message,
      failureAction: validate.failureAction,
      failureActionOverrides: validate.failureActionOverrides,
    }
    if (validate.pattern !== undefined) out.validate = { ...base, pattern: wrap(key, validate.pattern) }
    else if (validate.deny !== undefined) out.validate = { ...base, deny: validate.deny }
    else if (validate.podSecurity !== undefined) out.validate = { ...base, podSecurity: validate.podSecurity }
    else if (validate.anyPattern !== undefined) {
      out.validate = {
        ...base,
        anyPattern: Array.isArray(validate.anyPattern)
          ? validate.anyPattern.map((p) => wrap(key, p))
          : validate.anyPattern,
      }
    } else if (validate.foreach !== undefined) out.validate = { ...base, foreach: validate.foreach }
    else if (validate.cel === undefined && validate.assert === undefined) return undefined
    return out
  }
  if (rule.verifyImages !== undefined) return out
  return undefined
}

const truncateName = (name: string): string => name.slice(0, 63)

function forControllers(rule: Raw, controllers: string): Raw | undefined {
  const name = typeof rule.name === 'string' ? rule.name : ''
  if (name.startsWith('autogen-') || controllers === '') return undefined
  const matchKinds = allKinds(rule.match)
  const excludeKinds = allKinds(rule.exclude)
  if (
    !matchKinds.some((k) => kindName(k) === 'Pod') ||
    (excludeKinds.length > 0 && !excludeKinds.some((k) => kindName(k) === 'Pod'))
  )
    return undefined
  let list = controllers
  const validated = controllers.split(',').filter((c) => NON_CRON.has(c))
  if (controllers === 'all') list = [...NON_CRON].join(',')
  else if (validated.length > 0) list = validated.join(',')
  return generateRule(truncateName(`autogen-${name}`), rule, 'template', list.split(',').sort(), true)
}

const POD_REPLACEMENTS: [string, string][] = [
  ['request.object.spec', 'request.object.spec.template.spec'],
  ['request.oldObject.spec', 'request.oldObject.spec.template.spec'],
  ['request.object.metadata', 'request.object.spec.template.metadata'],
  ['request.oldObject.metadata', 'request.oldObject.spec.template.metadata'],
]
const CRON_REPLACEMENTS: [string, string][] = POD_REPLACEMENTS.map(([a, b]) => [
  a,
  b.replace('.template.', '.jobTemplate.spec.template.'),
])
const celVariant = (pairs: [string, string][]): [string, string][] =>
  pairs.map(([a, b]) => [a.replace('request.', ''), b.replace('request.', '')])

function convert(rule: Raw, cron: boolean): Raw {
  const isCel = isRecord(rule.validate) && rule.validate.cel !== undefined
  const base = cron ? CRON_REPLACEMENTS : POD_REPLACEMENTS
  let text = JSON.stringify(rule)
  for (const [from, to] of isCel ? celVariant(base) : base) text = text.split(from).join(to)
  return JSON.parse(text) as Raw
}

/**
 * The rules Kyverno runs for a policy: the written rules plus, when the policy qualifies,
 * `autogen-<rule>` (Deployment, DaemonSet, StatefulSet, Job, ReplicaSet,
 * ReplicationController: `spec.template`) and `autogen-cronjob-<rule>` (CronJob:
 * `spec.jobTemplate.spec.template`), honouring the autogen-controllers annotation.
 */
export function computeRules(rules: readonly Raw[], annotations: Readonly<Record<string, unknown>>): Raw[] {
  const apply = canAutogen(rules)
  let controllers: string
  const requested = annotations[AUTOGEN_ANNOTATION]
  if (!apply) controllers = 'none'
  else if (typeof requested === 'string') controllers = requested
  else controllers = AUTOGEN_CONTROLLERS.join(',')
  if (controllers === 'none') return [...rules]
  const nonCron = controllers
    .split(',')
    .filter((c) => c !== 'CronJob')
    .join(',')
  const generated: Raw[] = []
  for (const rule of rules) {
    const forPods = forControllers(rule, nonCron)
    if (forPods) generated.push(convert(forPods, false))
    if (controllers.includes('CronJob') || controllers.includes('all')) {
      const base = forControllers(rule, controllers)
      const cron = base
        ? generateRule(truncateName(`autogen-cronjob-${String(rule.name)}`), base, 'jobTemplate', ['CronJob'], false)
        : undefined
      if (cron) generated.push(convert(cron, true))
    }
  }
  if (generated.length === 0) return [...rules]
  return [...rules.filter((r) => !(typeof r.name === 'string' && r.name.startsWith('autogen-'))), ...generated]
}
