import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Command, InvalidArgumentError, Option } from 'commander'
import { ACTIONS, ToolError, describeError } from '../core/index.js'
import { stringifyManifests } from '../yaml/index.js'
import { EXIT, type CliIo } from './io.js'
import { loadServePolicies, type PolicyOptions as PolicyFlags } from '../app/index.js'

interface InstallFlags extends PolicyFlags {
  print?: boolean
  namespace: string
  image: string
  caBundle?: string
  webhookFailurePolicy: 'Fail' | 'Ignore'
  timeout: number
  failurePolicy?: 'allow' | 'deny'
}

const DEFAULT_IMAGE = 'ghcr.io/palisade-dev/palisade:0.1.0'

/** `palisade install --print`: the manifests that run the webhook in a cluster. */
export function installCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('install')
    .description('Print the Kubernetes manifests that run the admission webhook (apply them with kubectl apply -f -).')
    .option('--print', 'write the manifests to stdout (the only mode: Palisade never talks to a cluster itself)')
    .option('-n, --namespace <name>', "the webhook's namespace", 'palisade-system')
    .option('--image <ref>', 'container image; pin a digest (repo@sha256:...) for production', DEFAULT_IMAGE)
    .option('--ca-bundle <file>', 'CA certificate the API server should trust (ca.crt from `palisade certs`)')
    .addOption(
      new Option('--webhook-failure-policy <policy>', 'what the API server does when the webhook cannot be reached')
        .choices(['Fail', 'Ignore'])
        .default('Fail'),
    )
    .addOption(new Option('--timeout <seconds>', 'webhook timeoutSeconds (1-30)').default(5).argParser(timeout))
    .option('-c, --config <file>', 'palisade.yaml: shipped in a ConfigMap; its environments get one webhook entry each')
    .option('-p, --policies <list>', 'policy sets and ids the webhook runs (passed to serve)')
    .addOption(new Option('--action <action>', 'default action (passed to serve)').choices(ACTIONS))
    .addOption(
      new Option('--failure-policy <policy>', 'evaluation errors: allow or deny (passed to serve)').choices([
        'allow',
        'deny',
      ]),
    )
    .action(async (flags: InstallFlags) => {
      if (!flags.print)
        throw new ToolError(
          'USAGE',
          'install only prints manifests: use `palisade install --print | kubectl apply -f -`',
        )
      const { installManifests, resourceOfKind } = await import('../server/index.js') // not at start-up: see certs-command.ts
      const loaded = await loadServePolicies(flags, io)
      const kinds = new Set<string>([...loaded.policies.byKind.keys()])
      const resources = loaded.policies.anyKind.length > 0 ? ['*'] : [...kinds].map(resourceOfKind).sort()
      const caBundle =
        flags.caBundle === undefined
          ? ''
          : Buffer.from(await read(path.resolve(io.cwd, flags.caBundle))).toString('base64')
      const serveArgs = [
        ...(flags.policies === undefined ? [] : ['--policies', flags.policies]),
        ...(flags.action === undefined ? [] : ['--action', flags.action]),
        ...(flags.failurePolicy === undefined ? [] : ['--failure-policy', flags.failurePolicy]),
        // serve's own default (3 s) is 60% of the default timeoutSeconds (5); keep that share for any other timeout.
        ...(flags.timeout === 5 ? [] : ['--request-timeout', String(flags.timeout * 600)]),
      ]
      const manifests = installManifests({
        namespace: flags.namespace,
        image: flags.image,
        caBundle,
        environments: loaded.environments,
        resources,
        failurePolicy: flags.webhookFailurePolicy,
        timeoutSeconds: flags.timeout,
        ...(loaded.config.file === undefined
          ? {}
          : { configText: await read(path.resolve(io.cwd, loaded.config.file)) }),
        serveArgs,
      })
      if (caBundle === '')
        io.stderr.write('palisade: no --ca-bundle: set caBundle in both webhook configurations before applying\n')
      io.stdout.write(stringifyManifests(manifests))
      setExit(EXIT.OK)
    })
}

async function read(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new ToolError('FILE_UNREADABLE', `cannot read ${file}: ${describeError(error)}`, { cause: error })
  }
}

function timeout(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 30)
    throw new InvalidArgumentError(`expected 1 to 30 seconds, got "${value}"`)
  return n
}
