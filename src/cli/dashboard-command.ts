import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Command, InvalidArgumentError, Option } from 'commander'
import { ToolError, describeError } from '../core/index.js'
import { startDashboard } from '../dashboard/index.js'
import { EXIT, type CliIo } from './io.js'
import { loadConfig } from '../app/index.js'
import type { SignalSource } from './io.js'
import { addStoreOption, storeLocation, withStore } from './store-access.js'

interface DashboardFlags {
  host: string
  port: number
  sinceDays: number
  config?: string
  store?: string
  tokenFile?: string
}

/** `palisade dashboard`: the store's figures as web pages. */
export function dashboardCommand(io: CliIo, setExit: (code: number) => void, signals: SignalSource = process): Command {
  const command = new Command('dashboard')
    .description(
      'Serve the findings store as web pages: overview with trends, findings with filters, rollout, admission, commits and signers, waivers. Read-only.',
    )
    .option('--host <address>', 'address to listen on; anything but loopback needs a bearer token', '127.0.0.1')
    .addOption(
      new Option('--port <n>', 'port to listen on (0: any free port)').default(8090).argParser(intArg(0, 65535)),
    )
    .addOption(
      new Option('--since-days <n>', 'how many days back the figures go').default(90).argParser(intArg(1, 3650)),
    )
    .option(
      '--token-file <file>',
      'file holding the read-only bearer token (also PALISADE_DASHBOARD_TOKEN); required when --host is not loopback',
    )
    .option('-c, --config <file>', 'configuration file (store settings)')
  return addStoreOption(command)
    .addHelpText(
      'after',
      `
Examples:
  palisade dashboard                                  http://127.0.0.1:8090/
  PALISADE_DASHBOARD_TOKEN=$(cat token) palisade dashboard --host 0.0.0.0 --store postgres://palisade@db/palisade

Browsers: open http://HOST:PORT/?token=TOKEN once (kept in a cookie); scripts: Authorization: Bearer TOKEN.`,
    )
    .action(async (flags: DashboardFlags) => {
      const config = await loadConfig(flags.config, [], io)
      const token =
        flags.tokenFile !== undefined
          ? await readToken(path.resolve(io.cwd, flags.tokenFile))
          : io.env.PALISADE_DASHBOARD_TOKEN
      await withStore(
        storeLocation(flags.store, config, io),
        async (store) => {
          const dashboard = await startDashboard({
            db: store.client,
            host: flags.host,
            port: flags.port,
            ...(token ? { token } : {}),
            sinceDays: flags.sinceDays,
            readyAfterDays: config.store?.readyAfterDays ?? 14,
            now: io.now,
            onError: (error) => io.stderr.write(`palisade: dashboard: ${describeError(error)}\n`),
          })
          io.stderr.write(`palisade: dashboard of ${store.client.location} at ${dashboard.url}\n`)
          await new Promise<void>((resolve) => {
            signals.once('SIGTERM', resolve)
            signals.once('SIGINT', resolve)
          })
          await dashboard.close()
        },
        { brief: false },
      )
      setExit(EXIT.OK)
    })
}

async function readToken(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch (error) {
    throw new ToolError('USAGE', `cannot read the token file ${file}: ${describeError(error)}`, { cause: error })
  }
}

function intArg(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}"`)
    return n
  }
}
