import { Command } from 'commander'
import { stringify } from 'yaml'
import { exportVap } from '../app/index.js'
import { printable } from '../report/index.js'
import { EXIT, type CliIo } from './io.js'
import { outputFolder, writeIntoFolder } from './output-files.js'

interface ExportFlags {
  policies?: string
  env?: string
  output: string
  config?: string
  policyDir?: string
}

/** `palisade export vap`: write native ValidatingAdmissionPolicies for what CEL can express. */
export function exportCommand(io: CliIo, setExit: (code: number) => void): Command {
  const vap = new Command('vap')
    .description(
      'Write a ValidatingAdmissionPolicy + binding per policy that CEL can express, and list the others with the reason.',
    )
    .requiredOption('-o, --output <dir>', 'folder to write <policy>.yaml files into (created if missing)')
    .option(
      '-p, --policies <list>',
      'policy sets and ids, comma-separated (as for scan); none: export only the --policy-dir policies',
    )
    .option(
      '-e, --env <name>',
      'environment whose actions (palisade.yaml) become validationActions: deny→Deny, warn→Warn, audit→Audit',
    )
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml in the working directory)')
    .option(
      '--policy-dir <dir>',
      'also export user policies: VAPs pass through, Kyverno ValidatingPolicies are converted, Gatekeeper templates with CEL code become a VAP with a binding per constraint',
    )
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .action(async (flags: ExportFlags) => {
      setExit(await runExport(flags, io))
    })
  return new Command('export').description('Export policies to other formats.').addCommand(vap)
}

async function runExport(flags: ExportFlags, io: CliIo): Promise<number> {
  const { result, diagnostics } = await exportVap(flags, io)
  // Policy ids, messages and reasons come from policy files: control characters are printed as pictures.
  for (const d of diagnostics) io.stderr.write(`palisade: ${printable(d.message)}\n`)
  const dir = await outputFolder(io.cwd, flags.output)
  for (const p of result.exported) {
    await writeIntoFolder(
      dir,
      `${p.id.replace(/[^A-Za-z0-9._-]/g, '_')}.yaml`,
      p.objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n'),
    )
  }
  io.stdout.write(`Exported ${result.exported.length} policies to ${flags.output}:\n`)
  for (const p of result.exported) io.stdout.write(`  ${printable(p.id)}\n`)
  if (result.skipped.length > 0) {
    io.stdout.write(`Not exported (${result.skipped.length}):\n`)
    for (const s of result.skipped) io.stdout.write(`  ${printable(s.id)}: ${printable(s.reason)}\n`)
  }
  return EXIT.OK
}

const EXAMPLES = `
Examples:
  palisade export vap -o vap/                          every stable built-in policy CEL can express
  palisade export vap --policies pss-restricted --env production -o vap/
  palisade export vap --policy-dir policies/ -o vap/   built-in and user policies (Gatekeeper templates
                                                       with K8sNativeValidation included; Rego-only ones listed)

The output folder can be applied with kubectl apply -f, or scanned with
palisade scan --policy-dir <folder>.`
