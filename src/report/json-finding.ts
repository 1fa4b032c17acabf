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
  count = 0
  findings.forEach((f, i) => {
    if (i > 0) put(',\n')
    if (!plainFinding(f)) put(findingText(f))
  })
  // Shorter than the last call's: cut to this call's pieces (V8 keeps the slots unless far fewer).
  if (pieces.length > count) pieces.length = count
  const text = pieces.join('')
  // The pieces may be a file's text (a message, a path): not held past the call. A huge call's slots are let go.
  if (count > MAX_KEPT) pieces.length = 0
  else pieces.fill('')
  return text
}

/**
 * The pieces of the text being printed, in one array kept across calls: a file's ~100
 * findings are ~4,000 pieces, which a fresh array would grow to (copying) several times.
 */
const pieces: string[] = []
let count = 0
const MAX_KEPT = 1 << 16

function put(piece: string): void {
  pieces[count++] = piece
}

/** A JSON text nested at `prefix` (JSON strings never hold a raw line break). */
export function indented(json: string, prefix: string): string {
  return json.replaceAll('\n', `\n${prefix}`)
}

/** Keys of a finding's object in the report, at two levels of nesting. */
const KEY = '      '
/*
 * The constant pieces of a common finding's text, written out: a template literal with
 * `${KEY}` in it is concatenated anew on every evaluation (esbuild keeps it), ~20 strings per
 * finding that only the join would flatten.
 */
const OPEN = '    {\n      "policy": '
const SEVERITY = ',\n      "severity": '
const MESSAGE = ',\n      "message": '
const ACTION = ',\n      "action": '
const STATUS = ',\n      "status": '
const RESOURCE = ',\n      "resource": '
const PATH = ',\n      "path": '
const FILE = ',\n      "file": '
const LINE = ',\n      "line": '
const COLUMN = ',\n      "column": '
const ENVIRONMENT = ',\n      "environment": '
const FINGERPRINT = ',\n      "fingerprint": '
const CONTROLS = ',\n      "controls": '
const MESSAGE_ID = ',\n      "messageId": '
const CATEGORY = ',\n      "category": '
const CLOSE = '\n    }'
const FIX = ',\n      "fix": {\n        "safety": '
const PATCH = ',\n        "patch": '
const FIRST_OP = '\n          {\n            "op": '
const NEXT_OP = ',\n          {\n            "op": '
const OP_PATH = ',\n            "path": '
const OP_VALUE = ',\n            "value": '
const OP_CLOSE = '\n          }'
const PATCH_CLOSE = '\n        ]'
const FIX_CLOSE = '\n      }'
/** Where a fix operation's value is nested. */
const OP = '            '
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

/** A character JSON.stringify would escape in a string: a quote, a backslash, a control character, a surrogate (lone ones are escaped; a pair is left to JSON.stringify too). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/

/** A string's JSON text as pieces: the string itself between quotes when it needs no escape (no copy of it made). */
function putString(value: string): void {
  if (ESCAPED.test(value)) put(JSON.stringify(value))
  else {
    put('"')
    put(value)
    put('"')
  }
}

/** Decimal texts of the smaller whole numbers (lines and columns), made once each. */
const numberTexts = new Array<string | undefined>(16_384).fill(undefined)

function numberText(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= numberTexts.length) return JSON.stringify(n)
  return (numberTexts[n] ??= JSON.stringify(n))
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
 * baseline, owners, commit or renders), put as pieces; false (and nothing put) for any
 * other, which findingText prints.
 */
function plainFinding(f: Finding): boolean {
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
  put(OPEN)
  put(repeatedText(f.policyId))
  put(SEVERITY)
  put(repeatedText(f.severity))
  put(MESSAGE)
  putString(f.message)
  put(ACTION)
  put(repeatedText(f.action))
  put(STATUS)
  put(repeatedText(f.status))
  put(RESOURCE)
  put(resourceText(f.resource))
  put(PATH)
  putString(f.path)
  put(FILE)
  put(span === undefined ? 'null' : repeatedText(span.file))
  put(LINE)
  put(span === undefined ? 'null' : numberText(span.start.line))
  put(COLUMN)
  put(span === undefined ? 'null' : numberText(span.start.column))
  put(ENVIRONMENT)
  put(f.environment === undefined ? 'null' : repeatedText(f.environment))
  put(FINGERPRINT)
  putString(f.fingerprint)
  put(CONTROLS)
  put(controlsText(f.controls))
  put(MESSAGE_ID)
  put(repeatedText(f.messageId))
  put(CATEGORY)
  put(repeatedText(f.category))
  if (f.fix) fixPieces(f.fix)
  put(CLOSE)
  return true
}

function plainFix(fix: FixProposal): boolean {
  return (
    typeof fix.safety === 'string' &&
    Array.isArray(fix.patch) &&
    fix.patch.every((op) => typeof op.op === 'string' && typeof op.path === 'string')
  )
}

/** `,\n      "fix": {...}` as valueText(jsonFix(fix)) prints it, as pieces. */
function fixPieces(fix: FixProposal): void {
  put(FIX)
  put(JSON.stringify(fix.safety))
  put(PATCH)
  if (fix.patch.length === 0) put('[]')
  else {
    put('[')
    fix.patch.forEach((op, i) => {
      put(i === 0 ? FIRST_OP : NEXT_OP)
      put(JSON.stringify(op.op))
      put(OP_PATH)
      put(JSON.stringify(op.path))
      if (op.value !== undefined) {
        put(OP_VALUE)
        put(indented(JSON.stringify(op.value, null, 2), OP))
      }
      put(OP_CLOSE)
    })
    put(PATCH_CLOSE)
  }
  put(FIX_CLOSE)
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
