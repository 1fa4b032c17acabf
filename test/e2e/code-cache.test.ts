import { isAscii } from 'node:buffer'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from './run-cli.js'

/** Run a module snippet in a fresh Node (the flags V8 checks a code cache against are a plain `node`'s). */
function node(code: string): { stdout: string; stderr: string; status: number | null } {
  return spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' })
}

describe('the bundled CLI and its V8 code cache (bin/load-bundle.js)', () => {
  it('loads with the cache the build wrote, and V8 accepts it', () => {
    const run = node(
      `import { loadBundle } from './bin/load-bundle.js'; const b = loadBundle(); console.log(JSON.stringify({ rejected: b.cacheRejected, main: typeof b.exports.main }))`,
    )
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toEqual({ rejected: false, main: 'function' })
  })

  // bin/load-bundle.js reads an ASCII bundle as Latin-1 (a copy of the bytes, no decoding); tools/bundle.js
  // escapes what esbuild leaves outside ASCII (regular expression literals, comments).
  it('is built in ASCII', () => {
    expect(isAscii(readFileSync(join(ROOT, 'dist/bundle/palisade.cjs')))).toBe(true)
  })

  it('compiles the bundle as usual when the cache is not valid', () => {
    const cacheFile = join(mkdtempSync(join(tmpdir(), 'palisade-cache-')), 'bad.cache')
    writeFileSync(cacheFile, 'not a V8 code cache')
    const run = node(
      `import { loadBundle } from './bin/load-bundle.js'; const b = loadBundle({ cacheFile: ${JSON.stringify(cacheFile)} }); ` +
        `const code = await b.exports.main(['policies', 'list', '--format', 'json']); console.error(JSON.stringify({ rejected: b.cacheRejected, code }))`,
    )
    expect(JSON.parse(run.stderr.trim().split('\n').at(-1) as string)).toEqual({ rejected: true, code: 0 })
    expect(JSON.parse(run.stdout).length).toBeGreaterThan(50)
  })

  it('loads OpenPGP.js on first use from inside the bundle (a lazy import of an external package)', () => {
    const repo = mkdtempSync(join(tmpdir(), 'palisade-pgp-'))
    const git = (...args: string[]): void =>
      void execFileSync('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd: repo })
    git('init', '-q')
    git('commit', '-q', '--allow-empty', '-m', 'unsigned')
    writeFileSync(
      join(repo, 'key.asc'),
      '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PUBLIC KEY BLOCK-----\n',
    )
    writeFileSync(join(repo, 'palisade.yaml'), 'signing:\n  openpgpKeys: [key.asc]\n')
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/palisade.js'), 'verify-commits', 'HEAD', '--format', 'json'],
      { cwd: repo, encoding: 'utf8' },
    )
    expect(run.stderr).toBe('')
    const report = JSON.parse(run.stdout) as { errors: { message: string }[] }
    // The reason comes from OpenPGP.js reading the key: the package was loaded.
    expect(report.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^key\.asc: not an armored OpenPGP public key: .*OpenPGP format/),
    ])
  })
})
