import { detachedString, escapePointerToken, isRecord, type Severity } from '../core/index.js'
import { DEFAULT_ENTROPY, isPlaceholder, type EntropyThresholds } from './entropy.js'
import { ASSIGNMENT_RULES, judgeAssignment } from './keyed-rules.js'
import { scanText } from './scan-text.js'
import { ANY_KEYWORD } from './token-rules.js'

/** A secret found in a parsed document. Internal: holds the value, never printed. */
export interface ValueHit {
  rule: string
  title: string
  severity: Severity
  /** JSON Pointer of the string that holds the secret. */
  pointer: string
  /** The secret (decoded, for Secret data). */
  secret: string
  /** Texts as they appear in the file (base64 for Secret data), for masking code frames. */
  written: string[]
  /** 0-based line of the secret inside a multi-line string value. */
  lineInValue: number
}

/** How to scan a document. */
export interface ObjectScanOptions {
  entropy?: EntropyThresholds
  /**
   * Skip the values of plaintext `kind: Secret` objects. `palisade scan` sets it: the
   * built-in library reports the Secret object itself, so its values are not reported twice.
   */
  skipSecretObjects?: boolean
}

/** Fields whose values are public material (certificates, CA bundles, public keys): never secrets. */
const PUBLIC_KEYS =
  /^(?:caBundle|ca\.crt|tls\.crt|ca|certificate|cert|.*\.(?:crt|pem|pub|cer)|certificate-authority-data|client-certificate-data|publicKey|public_key|ssh_known_hosts|known_hosts|image|digest|integrity|checksum.*|.*[Hh]ash|.*[Ss]ha(?:1|256|512)?)$/

/** True when a document is encrypted with SOPS (it carries the `sops` metadata block). */
export function isSopsDocument(object: unknown): boolean {
  return (
    isRecord(object) &&
    isRecord(object.sops) &&
    ('mac' in object.sops || 'lastmodified' in object.sops || 'version' in object.sops)
  )
}

/**
 * Scan one parsed document (a Kubernetes object, a Helm values file, any YAML or JSON):
 * - every string is checked by the token rules, multi-line strings also line by line
 *   (a properties file in a ConfigMap), single-line strings by their key name and entropy;
 * - env entries (`{name: DB_PASSWORD, value: ...}`) are judged by their `name`;
 * - a plaintext `kind: Secret` reports each non-empty data/stringData value (named by the
 *   credential type found inside it, else "Kubernetes Secret value"), unless the document
 *   is SOPS-encrypted;
 * - SOPS `ENC[...]` values and metadata, SealedSecret `encryptedData` and public material
 *   (certificates, CA bundles, public keys, digests) are skipped.
 */
export function scanObject(object: unknown, options: ObjectScanOptions = {}): ValueHit[] {
  const hits: ValueHit[] = []
  const thresholds = options.entropy ?? DEFAULT_ENTROPY
  const sops = isSopsDocument(object)
  const skip = new Set<string>()
  if (sops) skip.add('/sops')
  if (isRecord(object)) {
    const kind = object.kind
    if (kind === 'SealedSecret') skip.add('/spec/encryptedData')
    if (kind === 'Secret' && typeof object.apiVersion === 'string' && object.apiVersion === 'v1') {
      skip.add('/data').add('/stringData')
      if (!sops && !options.skipSecretObjects) hits.push(...secretValues(object))
    }
  }

  // The walk keeps the path as tokens and builds a JSON Pointer only when it needs one
  // (a hit, or a skip list to check): admission scans every object, and hashing a fresh
  // pointer string for every node cost more than the rules themselves.
  const tokens: string[] = []
  const pointerOf = (): string => {
    let out = ''
    for (const t of tokens) out += `/${escapePointerToken(t)}`
    return out
  }
  const visit = (value: unknown, key: string | undefined, parent: Record<string, unknown> | undefined): void => {
    if (skip.size > 0 && skip.has(pointerOf())) return
    if (typeof value === 'string') {
      const name = key === 'value' && parent && typeof parent.name === 'string' ? parent.name : key
      if (key !== undefined && isPublicKey(key)) return
      if (value.length >= 8) {
        const found = scanStringAt(value, pointerOf, name, thresholds)
        if (found.length > 0) hits.push(...found)
      }
      return
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        tokens.push(String(i))
        visit(value[i], key, undefined)
        tokens.pop()
      }
    } else if (isRecord(value)) {
      // Only a mapping of one of the two shapes can hold one: no list per other mapping.
      if (value.type === 'service_account' || value.auths !== undefined) {
        const found = structuredCredentials(value, pointerOf)
        for (const hit of found) skip.add(hit.pointer)
        hits.push(...found)
      }
      for (const k of Object.keys(value)) {
        tokens.push(k)
        visit(value[k], k, value)
        tokens.pop()
      }
    }
  }
  visit(object, undefined, undefined)
  return hits
}

const publicKeys = new Map<string, boolean>()

/** PUBLIC_KEYS.test, remembered per key name: objects repeat the same few hundred keys. */
function isPublicKey(key: string): boolean {
  let known = publicKeys.get(key)
  if (known === undefined) {
    known = PUBLIC_KEYS.test(key)
    if (publicKeys.size > 50_000) publicKeys.clear()
    publicKeys.set(detachedString(key), known) // a copy: keys are slices of their file's text
  }
  return known
}

/** Scan one string value found at `pointer` under the key `name`. */
export function scanString(
  value: string,
  pointer: string,
  name: string | undefined,
  thresholds: EntropyThresholds,
): ValueHit[] {
  return scanStringAt(value, () => pointer, name, thresholds).slice()
}

const NO_HITS: ValueHit[] = []
/**
 * Values from the entropy rule's shortest length (thresholds.minLength) up to this length are
 * remembered once found clean. A shorter one is judged by a keyword test of the value and,
 * rarely, by its key, which costs about what the memo's hashing and insertion did (the dense
 * corpus's short values are mostly unique, so the memo only churned).
 */
const MEMO_MAX_LENGTH = 256
const MEMO_MAX_ENTRIES = 50_000
/** Per thresholds: key name (undefined for list items) → values found clean under it. */
const clean = new WeakMap<EntropyThresholds, { size: number; byKey: Map<string | undefined, Set<string>> }>()

/**
 * scanString with the pointer built only when there is a hit. Values found clean under a
 * key are remembered (from thresholds.minLength to MEMO_MAX_LENGTH characters, per thresholds,
 * bounded, as copies detached from their file's text): objects repeat the same image
 * names, paths, label values and env entries, and the webhook scans every object it
 * admits. The result is a pure function of (value, key, thresholds), so the memo changes
 * no verdict; values with a hit are never remembered.
 */
function scanStringAt(
  value: string,
  pointerOf: () => string,
  name: string | undefined,
  thresholds: EntropyThresholds,
): ValueHit[] {
  if (value.length < 8 || (value.startsWith('ENC[') && value.endsWith(']'))) return NO_HITS
  if (value.length > MEMO_MAX_LENGTH || value.length < thresholds.minLength)
    return scanValue(value, pointerOf, name, thresholds)
  let memo = clean.get(thresholds)
  if (memo === undefined) clean.set(thresholds, (memo = { size: 0, byKey: new Map() }))
  let values = memo.byKey.get(name)
  if (values?.has(value)) return NO_HITS
  const hits = scanValue(value, pointerOf, name, thresholds)
  if (hits.length === 0) {
    if (memo.size >= MEMO_MAX_ENTRIES) {
      memo.byKey.clear()
      memo.size = 0
      values = undefined
    }
    // Copies, not the strings read: a value or key of 13 characters or more is a slice of its
    // file's text, and a memo of slices from thousands of files would keep their texts alive.
    if (values === undefined) memo.byKey.set(name === undefined ? name : detachedString(name), (values = new Set()))
    values.add(detachedString(value))
    memo.size++
  }
  return hits
}

function scanValue(
  value: string,
  pointerOf: () => string,
  name: string | undefined,
  thresholds: EntropyThresholds,
): ValueHit[] {
  const multiLine = value.includes('\n')
  // Fast path: a one-line value with no token keyword can only be judged by its key and entropy.
  const hits: ValueHit[] =
    !multiLine && !ANY_KEYWORD.test(value)
      ? []
      : scanText(value, { entropy: thresholds, assignments: multiLine }).map((h) => ({
          rule: h.rule,
          title: h.title,
          severity: h.severity,
          pointer: pointerOf(),
          secret: h.secret,
          written: [h.secret],
          lineInValue: multiLine ? countLines(value, h.start) : 0,
        }))
  if (hits.length > 0 || multiLine) return hits
  if (name !== undefined && nameHasKeyword(name)) {
    // Rules that need the key for context (an AWS secret key is 40 base64 characters
    // that only its name tells apart): scan `name=value` and keep hits inside the value.
    const prefix = `${name}=`
    const keyed = scanText(`${prefix}${value}`, { assignments: false }).filter((h) => h.start >= prefix.length)
    if (keyed.length > 0)
      return keyed.map((h) => ({
        rule: h.rule,
        title: h.title,
        severity: h.severity,
        pointer: pointerOf(),
        secret: h.secret,
        written: [h.secret],
        lineInValue: 0,
      }))
  }
  const judged = judgeAssignment(name, value, thresholds)
  if (!judged) return NO_HITS
  const rule = ASSIGNMENT_RULES[judged.rule]
  return [
    {
      rule: judged.rule,
      title: rule.title,
      severity: rule.severity,
      pointer: pointerOf(),
      secret: judged.secret,
      written: [judged.secret],
      lineInValue: 0,
    },
  ]
}

const namesWithKeyword = new Map<string, boolean>()

/**
 * ANY_KEYWORD.test(name), remembered per key name (bounded): every short value asks it of its
 * key, and objects repeat the same few hundred keys and env names.
 */
function nameHasKeyword(name: string): boolean {
  let known = namesWithKeyword.get(name)
  if (known === undefined) {
    known = ANY_KEYWORD.test(name)
    if (namesWithKeyword.size > 50_000) namesWithKeyword.clear()
    namesWithKeyword.set(detachedString(name), known) // names are slices of their file's text: keep a copy, not the file
  }
  return known
}

/**
 * Credentials recognised by the shape of an object rather than a string: a Google Cloud
 * service account key file (type service_account with a private_key) and Docker registry
 * credentials (`auths.<registry>.auth` = base64 of user:password).
 */
function structuredCredentials(object: Record<string, unknown>, pointerOf: () => string): ValueHit[] {
  const hits: ValueHit[] = []
  if (
    object.type === 'service_account' &&
    typeof object.private_key === 'string' &&
    object.private_key.includes('PRIVATE KEY')
  ) {
    const secret = object.private_key
    hits.push({
      rule: 'gcp-service-account-key',
      title: 'Google Cloud service account key',
      severity: 'critical',
      pointer: `${pointerOf()}/private_key`,
      secret,
      written: [secret],
      lineInValue: 0,
    })
  }
  if (isRecord(object.auths)) {
    for (const [registry, entry] of Object.entries(object.auths)) {
      if (!isRecord(entry) || typeof entry.auth !== 'string') continue
      const decoded = decodeBase64(entry.auth)
      const password = decoded?.slice(decoded.indexOf(':') + 1)
      if (
        decoded === undefined ||
        !decoded.includes(':') ||
        password === undefined ||
        password.length < 3 ||
        isPlaceholder(password)
      )
        continue
      hits.push({
        rule: 'docker-registry-auth',
        title: 'Container registry credentials (.dockerconfigjson auth)',
        severity: 'high',
        pointer: `${pointerOf()}/auths/${escapePointerToken(registry)}/auth`,
        secret: decoded,
        written: [entry.auth, password],
        lineInValue: 0,
      })
    }
  }
  return hits
}

function secretValues(object: Record<string, unknown>): ValueHit[] {
  const hits: ValueHit[] = []
  for (const field of ['data', 'stringData'] as const) {
    const values = object[field]
    if (!isRecord(values)) continue
    for (const [key, raw] of Object.entries(values)) {
      if (typeof raw !== 'string') continue
      const decoded = field === 'data' ? decodeBase64(raw) : raw
      if (decoded === undefined || isPlaceholder(decoded)) continue
      const pointer = `/${field}/${escapePointerToken(key)}`
      const inside = scanText(decoded, { assignments: decoded.includes('\n') })
      const written = field === 'data' ? [raw] : [raw, ...inside.map((h) => h.secret)]
      const first = inside[0]
      hits.push(
        first
          ? {
              rule: first.rule,
              title: first.title,
              severity: first.severity,
              pointer,
              secret: decoded,
              written,
              lineInValue: 0,
            }
          : {
              rule: 'kubernetes-secret',
              title: 'Plaintext Kubernetes Secret value',
              severity: 'high',
              pointer,
              secret: decoded,
              written,
              lineInValue: 0,
            },
      )
    }
  }
  return hits
}

function decodeBase64(raw: string): string | undefined {
  const compact = raw.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined
  return Buffer.from(compact, 'base64').toString('utf8')
}

function countLines(text: string, offset: number): number {
  let n = 0
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++
  return n
}
