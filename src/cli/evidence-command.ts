import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import { loadConfig } from '../app/index.js'
import { ToolError } from '../core/index.js'
import { printable } from '../report/index.js'
import { complianceReport, policySetRecord, REPORT_FRAMEWORKS } from '../compliance/index.js'
import {
  commitsOf,
  coveredCommits,
  privateKeyFrom,
  publicKeyFrom,
  runsOf,
  verifyBundle,
  waiversOf,
  writeBundle,
} from '../evidence/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { periodArgs } from './compliance-period.js'
import { EXIT, type CliIo } from './io.js'
import { addStoreOption, storeLocation, withStore } from './store-access.js'

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

function readKey(io: CliIo, file: string): string {
  try {
    return readFileSync(path.resolve(io.cwd, file), 'utf8')
  } catch (error) {
    throw new ToolError('USAGE', `--key ${file}: ${(error as Error).message}`)
  }
}

function exportCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('export')
    .description(
      'Write a signed evidence bundle (a folder): compliance reports of every framework, run records, policy set with its digest, configuration, waivers and verify-commits results of the period, described by an in-toto Statement in a DSSE envelope.',
    )
    .requiredOption('--since <date>', 'from this date (YYYY-MM-DD) or this long ago (90d, 12w)')
    .option('--until <date>', 'to the end of this day (YYYY-MM-DD, UTC); default now')
    .requiredOption('--out <dir>', 'bundle folder to create (must be new or empty)')
    .requiredOption('--key <key.pem>', 'signing key: Ed25519 or ECDSA P-256 private key in PEM')
    .option('-c, --config <file>', 'configuration file (store.path; included in the bundle)')
  return addStoreOption(command)
    .addHelpText(
      'after',
      '\nExamples:\n  openssl genpkey -algorithm ed25519 -out evidence.key && openssl pkey -in evidence.key -pubout -out evidence.pub\n  palisade evidence export --since 2026-01-01 --until 2026-03-31 --out evidence-q1 --key evidence.key',
    )
    .action(
      async (flags: { since: string; until?: string; out: string; key: string; config?: string; store?: string }) => {
        const key = privateKeyFrom(readKey(io, flags.key), flags.key)
        const config = await loadConfig(flags.config, [], io)
        const now = io.now()
        const period = periodArgs(flags, now)
        const policySet = policySetRecord(BUILTIN_POLICIES)
        const files = new Map<string, string>()
        const commits = await withStore(storeLocation(flags.store, config, io), async (store) => {
          for (const framework of REPORT_FRAMEWORKS) {
            files.set(
              `compliance/${framework}.json`,
              json(
                await complianceReport(store.client, {
                  framework,
                  policies: BUILTIN_POLICIES,
                  policyDigest: policySet.digest,
                  period,
                  now,
                }),
              ),
            )
          }
          files.set('runs.json', json(await runsOf(store.client, period)))
          files.set('waivers.json', json(await waiversOf(store.client, period)))
          files.set('commits.json', json(await commitsOf(store.client, period)))
          return coveredCommits(store.client, period)
        })
        files.set('policy-set.json', json(policySet))
        files.set('config.json', json(config))
        const out = path.resolve(io.cwd, flags.out)
        const statement = writeBundle(out, {
          files,
          commits,
          period: { since: period.since.toISOString(), until: period.until.toISOString() },
          generatedAt: now.toISOString(),
          policyDigest: policySet.digest,
          key,
        })
        io.stdout.write(
          `evidence bundle ${flags.out}: ${files.size} files, ${commits.length} commits, signed (${statement.subject.length} subjects)\n`,
        )
        setExit(EXIT.OK)
      },
    )
}

function verifyCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('verify')
    .description(
      'Verify an evidence bundle offline: the DSSE signature with the public key, every file digest, no file missing or added, the required files present. Exit 1 naming each problem.',
    )
    .argument('<bundle>', 'bundle folder written by evidence export')
    .requiredOption('--key <pub.pem>', 'public key (PEM) of the signer')
    .addHelpText('after', '\nExample:\n  palisade evidence verify evidence-q1 --key evidence.pub')
    .action((bundle: string, flags: { key: string }) => {
      const key = publicKeyFrom(readKey(io, flags.key), flags.key)
      const result = verifyBundle(path.resolve(io.cwd, bundle), key)
      if (result.problems.length > 0) {
        // Problems quote the bundle's own text (file names, statement fields): printed as pictures.
        for (const p of result.problems) io.stderr.write(printable(`palisade: evidence ${bundle}: ${p}`) + '\n')
        setExit(EXIT.DENIED)
        return
      }
      io.stdout.write(
        printable(
          `evidence ${bundle}: verified (${result.files} files, ${result.commits} commits, period ${result.statement?.predicate.period.since} to ${result.statement?.predicate.period.until})`,
        ) + '\n',
      )
      setExit(EXIT.OK)
    })
}

/** `palisade evidence export|verify`. */
export function evidenceCommand(io: CliIo, setExit: (code: number) => void): Command {
  const evidence = new Command('evidence').description('Signed, offline-verifiable evidence bundles for auditors.')
  for (const sub of [exportCommand(io, setExit), verifyCommand(io, setExit)])
    evidence.addCommand(
      sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }),
    )
  return evidence
}
