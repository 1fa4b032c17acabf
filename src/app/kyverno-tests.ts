import path from 'node:path'
import type { Diagnostic, KubeObject } from '../core/index.js'
import {
  createJmespath,
  defaultHooks,
  loadPolicyDocuments,
  isPolicyDocument,
  runGatorSuite,
  readContextImages,
  readContextResources,
  readTestSpec,
  readUserInfo,
  readValues,
  runKyvernoTest,
  type TestRow,
} from '../compat/index.js'
import type { EvalLimits } from '../engine/index.js'
import { evalLimits } from './eval-limits.js'
import { builtinPodSecurity } from './pod-security.js'
import { findFiles, YamlFiles } from './yaml-files.js'

function loadTest(
  file: string,
  files: YamlFiles,
  now: () => Date,
  limits: EvalLimits,
): { rows: TestRow[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const shown = files.display(file)
  const loaded = files.load(file)
  if ('error' in loaded) return { rows: [], diagnostics: [loaded.error] }
  const testDoc = loaded.documents.find((d) => d.object.kind === 'Test')
  if (testDoc === undefined)
    return { rows: [], diagnostics: [{ code: 'POLICY_INVALID', message: `${shown}: no Test document` }] }
  const spec = readTestSpec(testDoc.object)
  if (typeof spec === 'string')
    return { rows: [], diagnostics: [{ code: 'POLICY_INVALID', message: `${shown}: ${spec}`, span: testDoc.span }] }
  const dir = path.dirname(file)
  const docsOf = (ref: string): KubeObject[] => {
    if (/^https?:\/\//.test(ref)) {
      diagnostics.push({
        code: 'USAGE',
        message: `${shown}: remote file ${ref} is not fetched (Palisade reads local files only)`,
        span: testDoc.span,
      })
      return []
    }
    const r = files.load(path.resolve(dir, ref))
    if ('error' in r) {
      diagnostics.push(r.error)
      return []
    }
    return r.documents.map((d) => d.object)
  }
  const policyDocs = spec.policies.flatMap((p) => {
    const r = /^https?:\/\//.test(p) ? undefined : files.load(path.resolve(dir, p))
    if (r === undefined) return docsOf(p).map((object) => ({ object, file: p }))
    if ('error' in r) {
      diagnostics.push(r.error)
      return []
    }
    return r.documents
  })
  const { policies, diagnostics: policyDiagnostics } = loadPolicyDocuments(policyDocs)
  diagnostics.push(...policyDiagnostics)
  const resources = spec.resources.flatMap(docsOf)
  const single = (ref: string | undefined, ...kinds: string[]): KubeObject | undefined =>
    ref === undefined ? undefined : docsOf(ref).find((d) => kinds.includes(String(d.kind)))
  const rows = runKyvernoTest({
    path: shown,
    spec,
    policies,
    resources,
    values: readValues(single(spec.variables, 'Values', 'Value')),
    user: readUserInfo(single(spec.userinfo, 'UserInfo')),
    contextImages: readContextImages(single(spec.context, 'Context')),
    contextObjects: [
      ...readContextResources(single(spec.context, 'Context')),
      ...policyDocs.map((d) => d.object).filter((o) => !isPolicyDocument(o)),
    ],
    loadExpected: (ref) => {
      const r = files.load(path.resolve(dir, ref))
      return 'error' in r ? r.error.message : r.documents.map((d) => d.object)
    },
    jp: createJmespath(now),
    now,
    hooks: defaultHooks(builtinPodSecurity()),
    limits,
  })
  return { rows, diagnostics }
}

/**
 * Find and run every test file below `target`; rows keep the reason of each unmet or
 * vacuous expectation. Throws when `target` cannot be read.
 */
export function collectTestRows(
  target: string,
  options: { cwd: string; now: () => Date; fileName?: string; suiteName?: string; evalTimeout?: number },
): { testFiles: string[]; rows: TestRow[]; diagnostics: Diagnostic[] } {
  const root = path.resolve(options.cwd, target)
  const testFiles = findFiles(root, options.fileName ?? 'kyverno-test.yaml')
  const files = new YamlFiles(options.cwd)
  const rows: TestRow[] = []
  const diagnostics: Diagnostic[] = []
  const limits = evalLimits(options.evalTimeout)
  for (const file of testFiles) {
    const r = loadTest(file, files, options.now, limits)
    rows.push(...r.rows)
    diagnostics.push(...r.diagnostics)
  }
  for (const file of findFiles(root, options.suiteName ?? 'suite.yaml')) {
    const r = loadSuite(file, files, limits)
    if (r === undefined) continue
    testFiles.push(file)
    rows.push(...r.rows)
    diagnostics.push(...r.diagnostics)
  }
  return { testFiles, rows, diagnostics }
}

/** A gator Suite file: every assertion of every case, on each engine of its template; undefined when the file holds no Suite. */
function loadSuite(
  file: string,
  files: YamlFiles,
  limits: EvalLimits,
): { rows: TestRow[]; diagnostics: Diagnostic[] } | undefined {
  const loaded = files.load(file)
  if ('error' in loaded) return { rows: [], diagnostics: [loaded.error] }
  const doc = loaded.documents.find(
    (d) => d.object.kind === 'Suite' && String(d.object.apiVersion ?? '').startsWith('test.gatekeeper.sh/'),
  )
  if (doc === undefined) return undefined
  const dir = path.dirname(file)
  const read = (ref: string): KubeObject[] | string => {
    const r = files.load(path.resolve(dir, ref))
    return 'error' in r ? r.error.message : r.documents.map((d) => d.object)
  }
  const { rows, problems } = runGatorSuite(files.display(file), doc.object, read, { limits })
  return { rows, diagnostics: problems.map((message) => ({ code: 'POLICY_INVALID', message, span: doc.span })) }
}
