import { chmod, mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Command, InvalidArgumentError, Option } from 'commander'
import { EXIT, type CliIo } from './io.js'

interface CertsFlags {
  out: string
  dns?: string[]
  days: number
}

/** `palisade certs`: a CA and a serving certificate for the webhook. */
export function certsCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('certs')
    .description('Write a CA (ca.crt) and a serving certificate signed by it (tls.crt, tls.key) for `palisade serve`.')
    .requiredOption('--out <dir>', 'folder to write ca.crt, tls.crt and tls.key into (created if missing)')
    .option(
      '--dns <name...>',
      'DNS names of the webhook service (e.g. palisade-webhook.palisade-system.svc); localhost and 127.0.0.1 are always included',
    )
    .addOption(new Option('--days <n>', 'validity in days').default(365).argParser(days))
    .addHelpText(
      'after',
      '\nThe CA key is not kept: to renew, run certs again and update the caBundle (install --print --ca-bundle ca.crt).',
    )
    .action(async (flags: CertsFlags) => {
      const dir = path.resolve(io.cwd, flags.out)
      const dns = flags.dns ?? []
      // Loaded here, not at start-up: node-forge is large and only this command needs it.
      const { createWebhookCertificates } = await import('../server/index.js')
      const certs = createWebhookCertificates(dns, flags.days, io.now())
      await mkdir(dir, { recursive: true })
      await writeFile(path.join(dir, 'ca.crt'), certs.caCert)
      await writeFile(path.join(dir, 'tls.crt'), certs.cert)
      await writeFile(path.join(dir, 'tls.key'), certs.key, { mode: 0o600 })
      await chmod(path.join(dir, 'tls.key'), 0o600) // mode applies only when the file is new
      io.stdout.write(
        `wrote ${path.join(flags.out, 'ca.crt')}, tls.crt and tls.key (0600); SANs: ${[...dns, 'localhost', '127.0.0.1'].join(', ')}; valid ${flags.days} days\n`,
      )
      setExit(EXIT.OK)
    })
}

function days(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0 || n > 3650)
    throw new InvalidArgumentError(`expected a number of days from 1 to 3650, got "${value}"`)
  return n
}
