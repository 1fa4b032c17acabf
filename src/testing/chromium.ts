import { existsSync } from 'node:fs'

/** The distribution's Chromium (Debian package `chromium`), driven by playwright-core. */
export const CHROMIUM = '/usr/bin/chromium'

/**
 * True when Chromium is installed. When it is not: false (browser tests skip with that
 * reason), or with PALISADE_REQUIRE_REAL_PARTS=1 (.ci/run) an error.
 */
export function hasChromium(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (existsSync(CHROMIUM)) return true
  if (env.PALISADE_REQUIRE_REAL_PARTS === '1')
    throw new Error('PALISADE_REQUIRE_REAL_PARTS=1 but Chromium is not installed (apt-get install chromium)')
  return false
}
