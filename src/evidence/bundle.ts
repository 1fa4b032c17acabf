import { createHash, type KeyObject } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ToolError } from '../core/index.js'
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope, verifyEnvelope, type DsseEnvelope } from './dsse.js'

/** The envelope's file name in a bundle; every other file is a subject of its statement. */
export const ENVELOPE_FILE = 'envelope.dsse.json'
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1'
export const PREDICATE_TYPE = 'https://palisade.dev/evidence/v1'

/** The files every bundle holds; verify fails when one is missing. */
export const REQUIRED_FILES = ['runs.json', 'policy-set.json', 'config.json', 'waivers.json', 'commits.json'] as const

export interface Subject {
  name: string
  digest: Record<string, string>
}
export interface EvidenceStatement {
  _type: string
  subject: Subject[]
  predicateType: string
  predicate: {
    period: { since: string; until: string }
    generatedAt: string
    policyDigest: string
    files: string[]
    commits: { repo: string; sha: string }[]
  }
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')
const COMMIT_PREFIX = 'git+commit:'

/** Write the files into `dir` (a new or empty folder) and sign a statement over all of them and the commits covered. */
export function writeBundle(
  dir: string,
  input: {
    files: ReadonlyMap<string, string>
    commits: readonly { repo: string; sha: string }[]
    period: { since: string; until: string }
    generatedAt: string
    policyDigest: string
    key: KeyObject
  },
): EvidenceStatement {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new ToolError('USAGE', `${dir}: the bundle folder must be new or empty`)
  const subject: Subject[] = []
  for (const [name, text] of [...input.files].sort(([a], [b]) => a.localeCompare(b))) {
    if (name === ENVELOPE_FILE || name.includes('..') || path.isAbsolute(name))
      throw new ToolError('INTERNAL', `bad bundle file name ${name}`)
    const file = path.join(dir, name)
    mkdirSync(path.dirname(file), { recursive: true })
    const bytes = Buffer.from(text, 'utf8')
    writeFileSync(file, bytes)
    subject.push({ name, digest: { sha256: sha256(bytes) } })
  }
  for (const c of input.commits)
    subject.push({ name: `${COMMIT_PREFIX}${c.repo}@${c.sha}`, digest: { gitCommit: c.sha } })
  const statement: EvidenceStatement = {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: PREDICATE_TYPE,
    predicate: {
      period: input.period,
      generatedAt: input.generatedAt,
      policyDigest: input.policyDigest,
      files: [...input.files.keys()].sort(),
      commits: [...input.commits],
    },
  }
  const envelope = signEnvelope(Buffer.from(JSON.stringify(statement), 'utf8'), IN_TOTO_PAYLOAD_TYPE, input.key)
  writeFileSync(path.join(dir, ENVELOPE_FILE), `${JSON.stringify(envelope, null, 2)}\n`)
  return statement
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`
    return e.isDirectory() ? listFiles(dir, rel) : [rel]
  })
}

/** What verifying a bundle found: problems (empty when it verifies) and, when the signature held, the statement. */
export interface VerifyResult {
  problems: string[]
  statement?: EvidenceStatement
  files: number
  commits: number
}

/**
 * Verify a bundle offline: the envelope's signature with the key, then every file's digest,
 * that every subject file is there, that no file is outside the statement, and that the
 * required files are present. Reads only inside `dir`.
 */
export function verifyBundle(dir: string, key: KeyObject): VerifyResult {
  const envelopeFile = path.join(dir, ENVELOPE_FILE)
  if (!existsSync(envelopeFile))
    return { problems: [`${ENVELOPE_FILE} is missing: not an evidence bundle`], files: 0, commits: 0 }
  let envelope: DsseEnvelope
  try {
    envelope = JSON.parse(readFileSync(envelopeFile, 'utf8')) as DsseEnvelope
  } catch (error) {
    return { problems: [`${ENVELOPE_FILE} is not valid JSON: ${(error as Error).message}`], files: 0, commits: 0 }
  }
  if (
    typeof envelope?.payload !== 'string' ||
    typeof envelope.payloadType !== 'string' ||
    !Array.isArray(envelope.signatures)
  )
    return { problems: [`${ENVELOPE_FILE} is not a DSSE envelope`], files: 0, commits: 0 }
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return {
      problems: [`${ENVELOPE_FILE}: payloadType is ${envelope.payloadType}, expected ${IN_TOTO_PAYLOAD_TYPE}`],
      files: 0,
      commits: 0,
    }
  if (!verifyEnvelope(envelope, key))
    return {
      problems: [
        `${ENVELOPE_FILE}: the signature does not verify with the given key (another key, or the statement was changed)`,
      ],
      files: 0,
      commits: 0,
    }
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as EvidenceStatement
  if (
    statement._type !== STATEMENT_TYPE ||
    statement.predicateType !== PREDICATE_TYPE ||
    !Array.isArray(statement.subject)
  )
    return { problems: ['the signed statement is not a Palisade evidence statement'], files: 0, commits: 0 }
  const problems: string[] = []
  const fileSubjects = statement.subject.filter((s) => !s.name.startsWith(COMMIT_PREFIX))
  const root = path.resolve(dir)
  for (const s of fileSubjects) {
    const file = path.resolve(root, s.name)
    if (!file.startsWith(`${root}${path.sep}`)) {
      problems.push(`${s.name}: subject outside the bundle`)
      continue
    }
    if (!existsSync(file)) {
      problems.push(`${s.name}: file removed (listed in the statement, not in the bundle)`)
      continue
    }
    if (lstatSync(file).isSymbolicLink()) {
      problems.push(`${s.name}: is a symbolic link (not followed: verify reads only inside the bundle)`)
      continue
    }
    const found = sha256(readFileSync(file))
    if (found !== s.digest.sha256) problems.push(`${s.name}: file changed (sha256 ${found}, signed ${s.digest.sha256})`)
  }
  const listed = new Set(fileSubjects.map((s) => s.name))
  for (const f of listFiles(root))
    if (f !== ENVELOPE_FILE && !listed.has(f)) problems.push(`${f}: file added (not in the statement)`)
  for (const f of REQUIRED_FILES)
    if (!listed.has(f)) problems.push(`${f}: required file not in the statement (incomplete bundle)`)
  if (!fileSubjects.some((s) => s.name.startsWith('compliance/')))
    problems.push('compliance/: no compliance report in the statement (incomplete bundle)')
  return { problems, statement, files: fileSubjects.length, commits: statement.subject.length - fileSubjects.length }
}
