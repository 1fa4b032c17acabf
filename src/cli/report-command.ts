import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { Command, Option } from 'commander'
import { loadConfig } from '../app/index.js'
import {
  chromiumPath,
  complianceReport,
  htmlToPdf,
  policySetRecord,
  renderHtml,
  renderReport,
  REPORT_FRAMEWORKS,
  type ReportFramework,
} from '../compliance/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { periodArgs } from './compliance-period.js'
import { EXIT, type CliIo } from './io.js'
import { addStoreOption, storeLocation, withStore } from './store-access.js'

interface ComplianceFlags {
  framework: ReportFramework
  since: string
  until?: string
  env?: string
  format: 'html' | 'json' | 'markdown'
  output?: string
  pdf?: string
  config?: string
  store?: string
}

/** `palisade report compliance`: per control, the policies that implement it and what the store recorded over a period. */
export function reportCommand(io: CliIo, setExit: (code: number) => void): Command {
  const compliance = new Command('compliance')
    .description(
      'Compliance report over a period: per control of the framework, the built-in policies implementing it, runs, findings opened/fixed/open, waivers, admission figures, commits and signers; uncovered controls and days without runs are listed as such.',
    )
    .addOption(new Option('--framework <name>', 'framework').choices([...REPORT_FRAMEWORKS]).makeOptionMandatory())
    .option('--since <date>', 'from this date (YYYY-MM-DD) or this long ago (90d, 12w)', '90d')
    .option('--until <date>', 'to the end of this day (YYYY-MM-DD, UTC); default now')
    .option('--env <name>', 'only this environment (palisade.yaml environments[].name)')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['html', 'json', 'markdown']).default('markdown'),
    )
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option(
      '--pdf <file>',
      'also print the HTML report to this PDF file in headless Chromium (/usr/bin/chromium or PALISADE_CHROMIUM)',
    )
    .option('-c, --config <file>', 'configuration file (store.path)')
  addStoreOption(compliance)
    .addHelpText(
      'after',
      '\nExamples:\n  palisade report compliance --framework soc2 --since 2026-01-01 --until 2026-03-31 --format html -o soc2.html\n  palisade report compliance --framework pci --since 2026-01-01 --pdf pci.pdf\n  palisade report compliance --framework cis --format json',
    )
    .action(async (flags: ComplianceFlags) => {
      const config = await loadConfig(flags.config, [], io)
      const now = io.now()
      const period = periodArgs(flags, now)
      const policySet = policySetRecord(BUILTIN_POLICIES)
      const report = await withStore(storeLocation(flags.store, config, io), (store) =>
        complianceReport(store.client, {
          framework: flags.framework,
          policies: BUILTIN_POLICIES,
          policyDigest: policySet.digest,
          period,
          now,
        }),
      )
      const text = renderReport(report, flags.format)
      if (flags.output === undefined) io.stdout.write(text)
      else writeFileSync(path.resolve(io.cwd, flags.output), text)
      if (flags.pdf !== undefined)
        await htmlToPdf(renderHtml(report), path.resolve(io.cwd, flags.pdf), chromiumPath(io.env))
      setExit(EXIT.OK)
    })
  compliance
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
  return new Command('report').description('Reports over the findings store.').addCommand(compliance)
}
