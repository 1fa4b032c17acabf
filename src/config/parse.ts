import type { ErrorObject } from 'ajv'
import { escapePointerToken, isRecord, type Diagnostic, type SourceSpan } from '../core/index.js'
import { parseManifests } from '../yaml/index.js'
import { parseGateSections, type RawGateConfig } from './gate-parse.js'
import { validateConfigSchema } from './config-validator.js'
import { storePathEscape } from './store-path.js'
import { parseImageRules, type RawImageRule } from './images-parse.js'
import type { ActionRules, EnvironmentConfig, PalisadeConfig, Waiver } from './types.js'
import { defaultConfig } from './types.js'

/**
 * Parse and validate palisade.yaml. Every problem is a CONFIG_INVALID diagnostic at
 * the line of the offending field; when there is any, the configuration is not used
 * (a half-applied configuration would enforce the wrong thing).
 *
 * @param root folder the path globs are relative to (the file's folder, as the caller names it)
 */
export function parseConfig(
  text: string,
  file: string,
  root: string,
): { config?: PalisadeConfig; diagnostics: Diagnostic[] } {
  const parsed = parseManifests(text, file)
  const diagnostics: Diagnostic[] = parsed.diagnostics.map((d) => ({ ...d, code: 'CONFIG_INVALID' }))
  const document = parsed.documents.find((d) => d.object !== null)
  if (diagnostics.length > 0) return { diagnostics }
  if (!document) return { config: { ...defaultConfig(root), file }, diagnostics }
  const span = (pointer: string): SourceSpan => document.locate(pointer).span
  if (parsed.documents.filter((d) => d.object !== null).length > 1) {
    diagnostics.push({
      code: 'CONFIG_INVALID',
      message: 'palisade.yaml must hold one YAML document',
      span: document.span,
    })
  }
  const data = document.object
  if (!isRecord(data))
    return {
      diagnostics: [{ code: 'CONFIG_INVALID', message: 'palisade.yaml must be a mapping', span: document.span }],
    }
  // CONFIG_SCHEMA compiled by ajv at build time (config-validator.ts, `npm run gen`): compiling it
  // here cost ~70-100 ms of every run that read a palisade.yaml.
  const validate = validateConfigSchema
  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const pointer =
        error.keyword === 'additionalProperties'
          ? `${error.instancePath}/${escapePointerToken(String(error.params.additionalProperty))}`
          : error.instancePath
      diagnostics.push({ code: 'CONFIG_INVALID', message: describeSchemaError(error), span: span(pointer) })
    }
  }
  // Checks the schema cannot express; run them even when it failed, so one run reports everything.
  const raw = data as RawConfig
  const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : [])
  list(raw.waivers).forEach((w, i) => {
    if (
      isRecord(w) &&
      typeof w.expires === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(w.expires) &&
      !isRealDate(w.expires)
    ) {
      diagnostics.push({
        code: 'CONFIG_INVALID',
        message: `waiver expiry "${w.expires}" is not a calendar date`,
        span: span(`/waivers/${i}/expires`),
      })
    }
  })
  const names = new Set<string>()
  list(raw.environments).forEach((e, i) => {
    if (!isRecord(e)) return
    if (names.has(e.name))
      diagnostics.push({
        code: 'CONFIG_INVALID',
        message: `environment "${e.name}" is defined twice`,
        span: span(`/environments/${i}/name`),
      })
    names.add(e.name)
    checkDates(e.actions, `/environments/${i}/actions`, span, diagnostics)
  })
  checkDates(raw.actions, '/actions', span, diagnostics)
  const storeEscape = typeof raw.store?.path === 'string' ? storePathEscape(raw.store.path) : undefined
  if (storeEscape !== undefined)
    diagnostics.push({
      code: 'CONFIG_INVALID',
      message: `store.path ${storeEscape}: the findings store must stay inside the configuration file's folder`,
      span: span('/store/path'),
      hint: 'give a folder relative to palisade.yaml (e.g. .palisade/store); put it elsewhere with --store or PALISADE_STORE_URL',
    })
  const gate = parseGateSections(raw, span, diagnostics)
  // Only on a schema-valid section: the checks below read its fields as typed.
  const images =
    Array.isArray(raw.images) && diagnostics.length === 0
      ? parseImageRules(raw.images, names, span, diagnostics)
      : undefined
  if (diagnostics.length > 0) return { diagnostics }

  const environments: EnvironmentConfig[] = (raw.environments ?? []).map((e) => ({
    name: e.name,
    paths: e.paths ?? [],
    namespaces: e.namespaces ?? [],
    clusters: e.clusters ?? [],
    actions: e.actions ?? {},
  }))
  const waivers: Waiver[] = (raw.waivers ?? []).map((w, i) => ({
    policy: w.policy,
    resources: w.resources ?? {},
    ...(w.environments ? { environments: w.environments } : {}),
    reason: w.reason,
    owner: w.owner,
    expires: w.expires,
    span: span(`/waivers/${i}`),
  }))
  const config: PalisadeConfig = {
    root,
    file,
    policies: {
      select: raw.policies?.select ?? 'all',
      disable: raw.policies?.disable ?? [],
      params: raw.policies?.params ?? {},
      spans: {
        ...(raw.policies?.select !== undefined ? { select: span('/policies/select') } : {}),
        ...(raw.policies?.disable !== undefined ? { disable: span('/policies/disable') } : {}),
      },
    },
    actions: raw.actions ?? {},
    environments,
    waivers,
    render: {
      repoURLs: raw.render?.repoURLs ?? [],
      kustomizeEnableHelm: raw.render?.kustomize?.enableHelm ?? false,
      charts: (raw.render?.charts ?? []).map((c) => ({ ...c, valuesFiles: c.valuesFiles ?? [] })),
      chartMirrors: raw.render?.chartMirrors ?? [],
      ...(raw.render?.limits ? { limits: raw.render.limits } : {}),
    },
    ...(raw.failOn ? { failOn: raw.failOn } : {}),
    ...(raw.errors ? { errors: raw.errors } : {}),
    ...(raw.store
      ? {
          store: {
            ...raw.store,
            record: raw.store.record ?? false,
            ...(raw.store.path === undefined ? {} : { pathSpan: span('/store/path') }),
          },
        }
      : {}),
    ...gate,
    ...(images ? { images } : {}),
  }
  return { config, diagnostics }
}

type RawConfig = RawGateConfig & {
  policies?: { select?: string; disable?: string[]; params?: Record<string, Record<string, unknown>> }
  actions?: ActionRules
  environments?: { name: string; paths?: string[]; namespaces?: string[]; clusters?: string[]; actions?: ActionRules }[]
  render?: {
    repoURLs?: string[]
    kustomize?: { enableHelm?: boolean }
    chartMirrors?: { repository: string; chart?: string; path: string }[]
    limits?: { timeoutSeconds?: number; maxOutputMiB?: number; maxMemoryMiB?: number }
    charts?: { path: string; valuesFiles?: string[]; environment?: string; releaseName?: string; namespace?: string }[]
  }
  waivers?: {
    policy: string
    resources?: Waiver['resources']
    environments?: string[]
    reason: string
    owner: string
    expires: string
  }[]
  failOn?: PalisadeConfig['failOn']
  errors?: PalisadeConfig['errors']
  images?: RawImageRule[]
  store?: Partial<NonNullable<PalisadeConfig['store']>>
}

function checkDates(
  rules: ActionRules | undefined,
  at: string,
  span: (p: string) => SourceSpan,
  out: Diagnostic[],
): void {
  if (!isRecord(rules) || !isRecord(rules.policies)) return
  for (const [id, rule] of Object.entries(rules.policies)) {
    if (
      isRecord(rule) &&
      typeof rule.until === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(rule.until) &&
      !isRealDate(rule.until)
    ) {
      out.push({
        code: 'CONFIG_INVALID',
        message: `"until" date "${rule.until}" is not a calendar date`,
        span: span(`${at}/policies/${escapePointerToken(id)}/until`),
      })
    }
  }
}

/** True when YYYY-MM-DD names a real day. */
export function isRealDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'palisade.yaml' : error.instancePath.slice(1).replace(/\//g, '.')
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown field "${String(error.params.additionalProperty)}"`
    case 'enum':
      return `${where}: must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`
    case 'required':
      return `${where}: missing required field "${String(error.params.missingProperty)}"`
    case 'pattern':
      return `${where}: ${where.endsWith('expires') || where.endsWith('until') ? 'must be a date as YYYY-MM-DD' : `must match ${String(error.params.pattern)}`}`
    default:
      return `${where}: ${error.message ?? error.keyword}`
  }
}
