import { Command, Option } from 'commander'
import { collectTestRows } from '../app/index.js'
import type { TestRow } from '../compat/index.js'
import { isErrorDiagnostic } from '../core/index.js'
import { printableLines } from '../report/index.js'
import { evalTimeoutArg } from './eval-limits.js'
import { EXIT, type CliIo } from './io.js'

interface TestFlags {
  format: 'text' | 'json'
  strict?: boolean
  fileName: string
  suiteName: string
  /** `--eval-timeout`: most milliseconds one policy may take on one resource. */
  evalTimeout?: number
}

/** `palisade test`: run Kyverno CLI tests (kyverno-test.yaml) and Gatekeeper gator suites (suite.yaml) with Palisade's engines. */
export function testCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('test')
    .description(
      'Run every kyverno-test.yaml (Kyverno CLI Test) and every Gatekeeper suite.yaml (gator Suite) below PATH and check their expected results.',
    )
    .argument('[path]', 'folder to search for test files, or one test file', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--strict', 'count expectations whose rule did not match the resource (vacuous) as failures')
    .option('--file-name <name>', 'name of the Kyverno test files to look for', 'kyverno-test.yaml')
    .option(
      '--suite-name <name>',
      'name of the Gatekeeper suite files to look for (kind Suite, test.gatekeeper.sh)',
      'suite.yaml',
    )
    .addOption(
      new Option(
        '--eval-timeout <ms>',
        'most time one policy may take on one resource before its expectations end in an error (default: 2000)',
      ).argParser(evalTimeoutArg),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (target: string, flags: TestFlags) => {
      setExit(await runTests(target, flags, io))
    })
}

async function runTests(target: string, flags: TestFlags, io: CliIo): Promise<number> {
  let collected: Awaited<ReturnType<typeof collectTestRows>>
  try {
    collected = await collectTestRows(target, {
      cwd: io.cwd,
      now: io.now,
      fileName: flags.fileName,
      suiteName: flags.suiteName,
      ...(flags.evalTimeout === undefined ? {} : { evalTimeout: flags.evalTimeout }),
    })
  } catch (error) {
    io.stderr.write(
      printableLines(`palisade: cannot read ${target}: ${error instanceof Error ? error.message : String(error)}\n`),
    )
    return EXIT.USAGE
  }
  const { testFiles, rows, diagnostics } = collected
  if (testFiles.length === 0) {
    // Nothing tested is not a pass: most likely a wrong path or --file-name.
    io.stderr.write(
      `palisade: no ${flags.fileName} or Gatekeeper ${flags.suiteName} found under ${target}: nothing was tested\n  hint: pass the folder that holds the test files, or --file-name NAME / --suite-name NAME\n`,
    )
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
    io.stderr.write(printableLines(`palisade: ${where}${d.message}\n`))
  }
  if (flags.format === 'json') {
    const results = rows.map(({ reason: _reason, ...row }) => row)
    io.stdout.write(`${JSON.stringify({ summary: { ...summary, problems: diagnostics.length }, results }, null, 2)}\n`)
  } else {
    // Names and reasons come from the test files: no control character of them reaches the terminal.
    io.stdout.write(printableLines(formatText(rows, summary)))
  }
  const failed = summary.unmet + (flags.strict ? summary.vacuous : 0)
  // A test file or policy that could not be loaded checked nothing: that fails the run too.
  const problems = diagnostics.filter(isErrorDiagnostic).length
  return failed + problems > 0 ? EXIT.DENIED : EXIT.OK
}

function formatText(
  rows: readonly TestRow[],
  summary: { tests: number; met: number; unmet: number; vacuous: number; strict: boolean },
): string {
  const lines: string[] = []
  let test = ''
  for (const r of rows) {
    if (r.test !== test) {
      test = r.test
      lines.push(`\n${test}`)
    }
    const mark = r.outcome === 'met' ? 'ok     ' : r.outcome === 'vacuous' ? 'vacuous' : 'FAIL   '
    const why = r.outcome === 'met' ? '' : `  (${r.reason ?? `got ${r.actual}`})`
    lines.push(
      `  ${mark} ${r.policy}/${r.rule || '*'}  ${r.kind}/${r.resource}  expected ${r.expected}, got ${r.actual}${why}`,
    )
  }
  const vacuousNote = summary.strict
    ? 'counted as failures (--strict)'
    : 'the rule did not match the resource; upstream counts them as passes'
  lines.push(
    `\n${summary.tests} test files: ${summary.met} met, ${summary.unmet} unmet, ${summary.vacuous} vacuous (${vacuousNote})\n`,
  )
  return lines.join('\n')
}

const EXAMPLES = `
Examples:
  palisade test policies/                    run every kyverno-test.yaml and gator suite.yaml below policies/
  palisade test gatekeeper-library/library   run the Gatekeeper library's suites on its Rego and CEL engines
  palisade test . --format json              machine-readable results
  palisade test policies/ --strict           also fail expectations whose rule never matched
  palisade test policies/ --eval-timeout 500 stop a policy after 500 ms on one resource (an error row)

Exit codes: 0 every expectation met, 1 at least one unmet (or vacuous with --strict), or a
test file, policy or resource that could not be loaded; 2 usage error, including no test
file found (nothing was tested).`
