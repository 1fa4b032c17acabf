import { readFile } from 'node:fs/promises'
import { describeError, type Diagnostic } from '../core/index.js'
import { parseAllowedSigners } from './allowed-signers.js'
import { readPgpKeys } from './openpgp-verify.js'
import type { TrustStore } from './verify-commit.js'

const at = (file: string): NonNullable<Diagnostic['span']> => ({
  file,
  start: { line: 1, column: 1, offset: 0 },
  end: { line: 1, column: 1, offset: 0 },
})

/**
 * Read the trusted signers: an allowed-signers file (git's `gpg.ssh.allowedSignersFile`
 * format) and armored OpenPGP public key files. `shown` maps each absolute path to the
 * name used in messages; `readText` reads a file (default: from disk; a pull-request gate
 * reads the base commit's blob instead, see src/app/base-trust.ts). Unreadable files and bad lines are diagnostics; whatever could
 * be read is returned.
 */
export async function loadTrustStore(
  files: { allowedSigners?: string; openpgpKeys: readonly string[] },
  shown: (absolute: string) => string,
  readText: (absolute: string) => Promise<string> = (file) => readFile(file, 'utf8'),
): Promise<{ trust: TrustStore; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = []
  const read = async (file: string): Promise<string | undefined> => {
    try {
      return await readText(file)
    } catch (error) {
      diagnostics.push({
        code: 'CONFIG_INVALID',
        message: `cannot read ${shown(file)}: ${describeError(error)}`,
        span: at(shown(file)),
      })
      return undefined
    }
  }
  const trust: TrustStore = { sshSigners: [], pgpKeys: [] }
  if (files.allowedSigners !== undefined) {
    const text = await read(files.allowedSigners)
    if (text !== undefined) {
      const parsed = parseAllowedSigners(text, shown(files.allowedSigners))
      trust.sshSigners = parsed.signers
      diagnostics.push(...parsed.diagnostics)
    }
  }
  const pgp = []
  for (const file of files.openpgpKeys) {
    const text = await read(file)
    if (text === undefined) continue
    const parsed = await readPgpKeys(text, shown(file))
    pgp.push(...parsed.keys)
    diagnostics.push(...parsed.diagnostics)
  }
  trust.pgpKeys = pgp
  return { trust, diagnostics }
}
