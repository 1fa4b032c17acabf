import path from 'node:path'
import { Command, Option } from 'commander'
import { isErrorDiagnostic, type Diagnostic, type KubeObject } from '../core/index.js'
import {
  createJmespath,
  defaultHooks,
  loadPolicyDocuments,
  POLICY_KINDS,
  readContextImages,
  readContextResources,
  readTestSpec,
  readUserInfo,
  readValues,
  runKyvernoTest,
  type TestRow,
} from '../compat/index.js'
import type { EvalLimits } from '../engine/index.js'
import { builtinPodSecurity, evalLimits, findFiles, YamlFiles } from '../app/index.js'
import { evalTimeoutArg } from './eval-limits.js'
import { EXIT, type CliIo } from './io.js'

interface TestFlags {
  format: 'text' | 'json'
  strict?: boolean
  fileName: string
  /** `--eval-timeout`: most milliseconds one policy may take on one resource. */
  evalTimeout?: number
}

/** `palisade test`: run Kyverno CLI tests (kyverno-test.yaml) with Palisade's engine. */
export function testCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('test')
    .description('Run every kyverno-test.yaml (Kyverno CLI Test) below PATH and check its expected results.')
    .argument('[path]', 'folder to search for test files, or one test file', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--strict', 'count expectations whose rule did not match the resource (vacuous) as failures')
    .option('--file-name <name>', 'name of the test files to look for', 'kyverno-test.yaml')
    .addOption(new Option('--eval-timeout <ms>', 'most time one policy may take on one resource before its expectations end in an error (default: 2000)').argParser(evalTimeoutArg))
    .addHelpText('after', EXAMPLES)
    .action((target: string, flags: TestFlags) => {
      setExit(runTests(target, flags, io))
    })
}

function loadTest(file: string, files: YamlFiles, now: () => Date, limits: EvalLimits): { rows: TestRow[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const shown = files.display(file)
  const loaded = files.load(file)
  if ('error' in loaded) return { rows: [], diagnostics: [loaded.error] }
  const testDoc = loaded.documents.find((d) => d.object.kind === 'Test')
  if (testDoc === undefined) return { rows: [], diagnostics: [{ code: 'POLICY_INVALID', message: `${shown}: no Test document` }] }
  const spec = readTestSpec(testDoc.object)
  if (typeof spec === 'string') return { rows: [], diagnostics: [{ code: 'POLICY_INVALID', message: `${shown}: ${spec}`, span: testDoc.span }] }
  const dir = path.dirname(file)
  const docsOf = (ref: string): KubeObject[] => {
    if (/^https?:\/\//.test(ref)) {
      diagnostics.push({ code: 'USAGE', message: `${shown}: remote file ${ref} is not fetched (Palisade reads local files only)`, span: testDoc.span })
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
  const single = (ref: string | undefined, kind: string): KubeObject | undefined => (ref === undefined ? undefined : docsOf(ref).find((d) => d.kind === kind))
  const rows = runKyvernoTest({
    path: shown,
    spec,
    policies,
    resources,
    values: readValues(single(spec.variables, 'Values')),
    user: readUserInfo(single(spec.userinfo, 'UserInfo')),
    contextImages: readContextImages(single(spec.context, 'Context')),
    contextObjects: [...readContextResources(single(spec.context, 'Context')), ...policyDocs.map((d) => d.object).filter((o) => !POLICY_KINDS.has(String(o.kind)))],
    loadExpected: (ref) => {
      const r = files.load(path.resolve(dir, ref))
      return 'error' in r ? r.error.message : r.documents.map((d) => d.object)
    },
    jp: createJmespath(now),
    hooks: defaultHooks(builtinPodSecurity()),
    limits,
  })
  return { rows, diagnostics }
}

/**
 * Find and run every test file below `target`; rows keep the reason of each unmet or
 * vacuous expectation. Throws when `target` cannot be read.
 */
export function collectTestRows(target: string, options: { cwd: string; now: () => Date; fileName?: string; evalTimeout?: number }): { testFiles: string[]; rows: TestRow[]; diagnostics: Diagnostic[] } {
  const testFiles = findFiles(path.resolve(options.cwd, target), options.fileName ?? 'kyverno-test.yaml')
  const files = new YamlFiles(options.cwd)
  const rows: TestRow[] = []
  const diagnostics: Diagnostic[] = []
  const limits = evalLimits(options.evalTimeout)
  for (const file of testFiles) {
    const r = loadTest(file, files, options.now, limits)
    rows.push(...r.rows)
    diagnostics.push(...r.diagnostics)
  }
  return { testFiles, rows, diagnostics }
}

function runTests(target: string, flags: TestFlags, io: CliIo): number {
  let collected: ReturnType<typeof collectTestRows>
  try {
    collected = collectTestRows(target, { cwd: io.cwd, now: io.now, fileName: flags.fileName, ...(flags.evalTimeout === undefined ? {} : { evalTimeout: flags.evalTimeout }) })
  } catch (error) {
    io.stderr.write(`palisade: cannot read ${target}: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT.USAGE
  }
  const { testFiles, rows, diagnostics } = collected
  if (testFiles.length === 0) {
    // Nothing tested is not a pass: most likely a wrong path or --file-name.
    io.stderr.write(`palisade: no ${flags.fileName} found under ${target}: nothing was tested\n  hint: pass the folder that holds the test files, or --file-name NAME\n`)
    return EXIT.USAGE
  }
  const summary = {
    tests: testFiles.length,
    results: rows.length,
    met: rows.filter((r) => r.outcome === 'met').length,
    unmet: rows.filter((r) => r.outcome === 'unmet').length,
    vacuous: rows.filter((r) => r.outcome === 'vacuous').length,
    strict: flags.strict === true,
  }
  for (const d of diagnostics) {
    const where = d.span ? `${d.span.file}:${d.span.start.line}:${d.span.start.column}: ` : ''
    io.stderr.write(`palisade: ${where}${d.message}\n`)
  }
  if (flags.format === 'json') {
    const results = rows.map(({ reason: _reason, ...row }) => row)
    io.stdout.write(`${JSON.stringify({ summary: { ...summary, problems: diagnostics.length }, results }, null, 2)}\n`)
  } else {
    io.stdout.write(formatText(rows, summary))
  }
  const failed = summary.unmet + (flags.strict ? summary.vacuous : 0)
  // A test file or policy that could not be loaded checked nothing: that fails the run too.
  const problems = diagnostics.filter(isErrorDiagnostic).length
  return failed + problems > 0 ? EXIT.DENIED : EXIT.OK
}

function formatText(rows: readonly TestRow[], summary: { tests: number; met: number; unmet: number; vacuous: number; strict: boolean }): string {
  const lines: string[] = []
  let test = ''
  for (const r of rows) {
    if (r.test !== test) {
      test = r.test
      lines.push(`\n${test}`)
    }
    const mark = r.outcome === 'met' ? 'ok     ' : r.outcome === 'vacuous' ? 'vacuous' : 'FAIL   '
    const why = r.outcome === 'met' ? '' : `  (${r.reason ?? `got ${r.actual}`})`
    lines.push(`  ${mark} ${r.policy}/${r.rule || '*'}  ${r.kind}/${r.resource}  expected ${r.expected}, got ${r.actual}${why}`)
  }
  const vacuousNote = summary.strict ? 'counted as failures (--strict)' : 'the rule did not match the resource; upstream counts them as passes'
  lines.push(`\n${summary.tests} test files: ${summary.met} met, ${summary.unmet} unmet, ${summary.vacuous} vacuous (${vacuousNote})\n`)
  return lines.join('\n')
}

const EXAMPLES = `
Examples:
  palisade test policies/                    run every kyverno-test.yaml below policies/
  palisade test . --format json              machine-readable results
  palisade test policies/ --strict           also fail expectations whose rule never matched
  palisade test policies/ --eval-timeout 500 stop a policy after 500 ms on one resource (an error row)

Exit codes: 0 every expectation met, 1 at least one unmet (or vacuous with --strict), or a
test file, policy or resource that could not be loaded; 2 usage error, including no test
file found (nothing was tested).`
