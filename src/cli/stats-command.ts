import { Command, Option } from 'commander'
import { computeStats, formatStatsText } from '../store/index.js'
import { sinceArg } from './history-command.js'
import { EXIT, type CliIo } from './io.js'
import { loadConfig } from '../app/index.js'
import { addStoreOption, storeLocation, withStore } from './store-access.js'

interface StatsFlags {
  since: string
  format: 'text' | 'json'
  config?: string
  store?: string
}

/** `palisade stats`: the figures of the findings store. */
export function statsCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('stats')
    .description(
      'Figures from the findings store: open findings, new and fixed per week, time to fix, signed commits, admission, waivers, rollout readiness, delivery.',
    )
    .option('--since <date>', 'from this date (YYYY-MM-DD) or this long ago (90d, 12w)', '90d')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-c, --config <file>', 'configuration file (store settings: store.path, store.readyAfterDays)')
  return addStoreOption(command)
    .addHelpText(
      'after',
      '\nExamples:\n  palisade stats\n  palisade stats --since 2026-01-01 --format json\n  PALISADE_STORE_URL=postgres://palisade@db/palisade palisade stats\n\nRecord runs first: palisade scan --record, palisade history import.',
    )
    .action(async (flags: StatsFlags) => {
      const config = await loadConfig(flags.config, [], io)
      const now = io.now()
      const stats = await withStore(storeLocation(flags.store, config, io), (store) =>
        computeStats(store.client, {
          since: sinceArg(flags.since, now),
          now,
          readyAfterDays: config.store?.readyAfterDays ?? 14,
          expiringWithinDays: 14,
        }),
      )
      io.stdout.write(flags.format === 'json' ? `${JSON.stringify(stats, null, 2)}\n` : formatStatsText(stats))
      setExit(EXIT.OK)
    })
}
