import type { CommitRef, Finding, FixProposal, RenderRef, ResourceRef, WaiverRef } from '../core/index.js'
import { controlsByFramework } from './controls.js'

/**
 * One finding's text in the JSON report, printed directly: the bytes `JSON.stringify(finding,
 * null, 2)` gives for the object the DESIGN.md contract describes, nested in the findings
 * array, without building that object. A dense scan prints ~200,000 of them, so the common
 * shape is written as pieces of one array joined once per call (no string built per field,
 * no tree of concatenations to flatten), and what repeats across findings is printed once:
 * the policy's strings, the file, the environment, a resource's reference, a policy's controls.
 */

/** Findings' text in the report: each finding's text, joined by `,\n` (the report puts `,\n` between such texts too). */
export function jsonFindingsText(findings: readonly Finding[]): string {
  const out: string[] = []
  findings.forEach((f, i) => {
    if (i > 0) out.push(',\n')
    if (!plainFinding(f, out)) out.push(findingText(f))
  })
  return out.join('')
}

/** A JSON text nested at `prefix` (JSON strings never hold a raw line break). */
export function indented(json: string, prefix: string): string {
  return json.replaceAll('\n', `\n${prefix}`)
}

/** Keys of a finding's object in the report, at two levels of nesting. */
const KEY = '      '
const controlsTexts = new WeakMap<object, string>()
// Findings of one resource share its (masked) reference: printed once while it is alive.
const resourceTexts = new WeakMap<ResourceRef, string>()

/**
 * JSON texts of strings that repeat across findings and come from Palisade or the run, not from
 * a file's text (policy ids, severities, actions, statuses, message ids, categories, file
 * names, environments): a file's text stays free to go. Bounded.
 */
const repeated = new Map<string, string>()

function repeatedText(value: string): string {
  let text = repeated.get(value)
  if (text === undefined) {
    text = JSON.stringify(value)
    if (repeated.size >= 10_000) repeated.clear()
    repeated.set(value, text)
  }
  return text
}

/** A value's JSON as JSON.stringify(value, null, 2) prints it inside a finding (nested at KEY); undefined when JSON.stringify would leave the key out. */
function valueText(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  return indented(JSON.stringify(value, null, 2), KEY)
}

/** The controls of a policy, printed once per controls list (every finding of a policy shares it). */
function controlsText(controls: Finding['controls']): string {
  let text = controlsTexts.get(controls)
  if (text === undefined) {
    text = valueText(controlsByFramework(controls)) as string
    controlsTexts.set(controls, text)
  }
  return text
}

function resourceText(r: ResourceRef): string {
  if (r.apiVersion === undefined || r.kind === undefined || r.name === undefined)
    return valueText({ apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace ?? null, name: r.name }) as string
  let text = resourceTexts.get(r)
  if (text === undefined) {
    text = `{\n${KEY}  "apiVersion": ${JSON.stringify(r.apiVersion)},\n${KEY}  "kind": ${JSON.stringify(r.kind)},\n${KEY}  "namespace": ${JSON.stringify(r.namespace ?? null)},\n${KEY}  "name": ${JSON.stringify(r.name)}\n${KEY}}`
    resourceTexts.set(r, text)
  }
  return text
}

/**
 * findingText's bytes for the common finding (every contract field a string, no waiver,
 * baseline, owners, commit or renders), pushed onto `out`; false (and nothing pushed) for any
 * other, which findingText prints.
 */
function plainFinding(f: Finding, out: string[]): boolean {
  if (
    f.waiver ||
    f.baseline ||
    f.owners ||
    f.commit ||
    f.renders ||
    typeof f.policyId !== 'string' ||
    typeof f.severity !== 'string' ||
    typeof f.message !== 'string' ||
    typeof f.action !== 'string' ||
    typeof f.status !== 'string' ||
    typeof f.path !== 'string' ||
    typeof f.fingerprint !== 'string' ||
    typeof f.messageId !== 'string' ||
    typeof f.category !== 'string' ||
    (f.environment !== undefined && typeof f.environment !== 'string') ||
    (f.span !== undefined && typeof f.span.file !== 'string')
  )
    return false
  if (f.fix && !plainFix(f.fix)) return false
  const span = f.span
  out.push(
    `    {\n${KEY}"policy": `,
    repeatedText(f.policyId),
    `,\n${KEY}"severity": `,
    repeatedText(f.severity),
    `,\n${KEY}"message": `,
    JSON.stringify(f.message),
    `,\n${KEY}"action": `,
    repeatedText(f.action),
    `,\n${KEY}"status": `,
    repeatedText(f.status),
    `,\n${KEY}"resource": `,
    resourceText(f.resource),
    `,\n${KEY}"path": `,
    JSON.stringify(f.path),
    `,\n${KEY}"file": `,
    span === undefined ? 'null' : repeatedText(span.file),
    `,\n${KEY}"line": `,
    JSON.stringify(span?.start.line ?? null),
    `,\n${KEY}"column": `,
    JSON.stringify(span?.start.column ?? null),
    `,\n${KEY}"environment": `,
    f.environment === undefined ? 'null' : repeatedText(f.environment),
    `,\n${KEY}"fingerprint": `,
    JSON.stringify(f.fingerprint),
    `,\n${KEY}"controls": `,
    controlsText(f.controls),
    `,\n${KEY}"messageId": `,
    repeatedText(f.messageId),
    `,\n${KEY}"category": `,
    repeatedText(f.category),
  )
  if (f.fix) fixPieces(f.fix, out)
  out.push(`\n    }`)
  return true
}

function plainFix(fix: FixProposal): boolean {
  return (
    typeof fix.safety === 'string' &&
    Array.isArray(fix.patch) &&
    fix.patch.every((op) => typeof op.op === 'string' && typeof op.path === 'string')
  )
}

const FIX = `${KEY}  `
const OP = `${KEY}      `

/** `,\n      "fix": {...}` as valueText(jsonFix(fix)) prints it, as pieces onto `out`. */
function fixPieces(fix: FixProposal, out: string[]): void {
  out.push(`,\n${KEY}"fix": {\n${FIX}"safety": `, JSON.stringify(fix.safety), `,\n${FIX}"patch": `)
  if (fix.patch.length === 0) out.push('[]')
  else {
    out.push('[')
    fix.patch.forEach((op, i) => {
      out.push(i === 0 ? `\n${FIX}  {\n${OP}"op": ` : `,\n${FIX}  {\n${OP}"op": `, JSON.stringify(op.op))
      out.push(`,\n${OP}"path": `, JSON.stringify(op.path))
      const value = op.value === undefined ? undefined : JSON.stringify(op.value, null, 2)
      if (value !== undefined) out.push(`,\n${OP}"value": `, indented(value, OP))
      out.push(`\n${FIX}  }`)
    })
    out.push(`\n${FIX}]`)
  }
  out.push(`\n${KEY}}`)
}

/**
 * One finding's text in the report: the bytes `JSON.stringify(jsonFinding, null, 2)` gives
 * for the object the DESIGN.md contract describes, indented for its place in the findings
 * array, without building that object.
 */
function findingText(f: Finding): string {
  const fields: [string, string | undefined][] = [
    ['policy', valueText(f.policyId)],
    ['severity', valueText(f.severity)],
    ['message', valueText(f.message)],
    ['action', valueText(f.action)],
    ['status', valueText(f.status)],
    ['resource', resourceText(f.resource)],
    ['path', valueText(f.path)],
    ['file', valueText(f.span?.file ?? null)],
    ['line', valueText(f.span?.start.line ?? null)],
    ['column', valueText(f.span?.start.column ?? null)],
    ['environment', valueText(f.environment ?? null)],
    ['fingerprint', valueText(f.fingerprint)],
    ['controls', controlsText(f.controls)],
    ['messageId', valueText(f.messageId)],
    ['category', valueText(f.category)],
  ]
  if (f.waiver) fields.push(['waiver', valueText(jsonWaiver(f.waiver))])
  if (f.fix) fields.push(['fix', valueText(jsonFix(f.fix))])
  if (f.baseline) fields.push(['baseline', valueText(f.baseline)])
  if (f.owners) fields.push(['owners', valueText([...f.owners])])
  if (f.commit) for (const [key, value] of Object.entries(jsonCommit(f.commit))) fields.push([key, valueText(value)])
  if (f.renders) fields.push(['renders', valueText(f.renders.map(jsonRender))])
  let text = '    {'
  let first = true
  for (const [key, value] of fields) {
    if (value === undefined) continue
    text += `${first ? '' : ','}\n${KEY}"${key}": ${value}`
    first = false
  }
  return `${text}\n    }`
}

function jsonRender(r: RenderRef): Record<string, unknown> {
  return {
    application: r.application,
    environment: r.environment ?? null,
    action: r.action,
    ...(r.waived ? { waived: true } : {}),
  }
}

function jsonCommit(c: CommitRef): Record<string, unknown> {
  return {
    commit: c.id,
    ...(c.author === undefined ? {} : { author: c.author }),
    ...(c.paths ? { paths: [...c.paths] } : {}),
    ...(c.signer === undefined ? {} : { signer: c.signer }),
  }
}

function jsonWaiver(w: WaiverRef): Record<string, unknown> {
  return { source: w.source, reason: w.reason, owner: w.owner ?? null, expires: w.expires ?? null }
}

function jsonFix(fix: FixProposal): Record<string, unknown> {
  return {
    safety: fix.safety,
    patch: fix.patch.map((op) => ({
      op: op.op,
      path: op.path,
      ...(op.value === undefined ? {} : { value: op.value }),
    })),
  }
}
