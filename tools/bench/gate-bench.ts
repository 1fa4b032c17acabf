/**
 * `npx tsx tools/bench/gate-bench.ts`: costs of the pull-request gate, measured on real
 * data. Signs 60 commits with ssh-keygen and gpg keys made here and times their in-process
 * verification; times the secret rules over the benchmark corpus's 2,000 files (scan and
 * redaction) and over 20,000 resources as the scan-time policy sees them.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  loadTrustStore,
  openRepository,
  redactSecretsInFile,
  scanSecretsInFile,
  verifyRange,
} from '../../src/git/index.js'
import credentialPolicy from '../../src/policies/disallow-hardcoded-credentials/policy.js'
import { compilePolicySet, evaluate } from '../../src/engine/index.js'
import { writeCorpus } from './corpus.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6

// Commit signatures.
const base = mkdtempSync(join(tmpdir(), 'palisade-gate-bench-'))
const home = join(base, 'home')
const repo = join(base, 'repo')
mkdirSync(join(home, '.gnupg'), { recursive: true, mode: 0o700 })
mkdirSync(repo)
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  GNUPGHOME: join(home, '.gnupg'),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
}
const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' })
try {
  git('init', '-q', '-b', 'main')
  git('config', 'user.name', 'Bench')
  git('config', 'user.email', 'bench@example.com')
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, 'key')], { env })
  writeFileSync(join(home, 'allowed'), `bench@example.com ${readFileSync(join(home, 'key.pub'), 'utf8')}`)
  execFileSync('gpg', ['--batch', '--quiet', '--gen-key'], {
    env,
    input:
      '%no-protection\nKey-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\nName-Real: Bench\nName-Email: pgp@example.com\nExpire-Date: 0\n%commit\n',
  })
  writeFileSync(join(home, 'pgp.asc'), execFileSync('gpg', ['--armor', '--export', 'pgp@example.com'], { env }))
  writeFileSync(join(repo, 'f'), '0')
  git('add', '-A')
  git('commit', '-q', '-m', 'root')
  const signed = (n: number, format: 'ssh' | 'openpgp', key: string): void => {
    for (let i = 0; i < n; i++) {
      writeFileSync(join(repo, 'f'), `${format}${i}`)
      git('add', '-A')
      git('-c', `gpg.format=${format}`, 'commit', '-q', '-m', `${format} ${i}`, `--gpg-sign=${key}`)
    }
  }
  signed(40, 'ssh', join(home, 'key'))
  signed(20, 'openpgp', 'pgp@example.com')
  execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env })
  const t0 = process.hrtime.bigint()
  const { trust } = await loadTrustStore(
    { allowedSigners: join(home, 'allowed'), openpgpKeys: [join(home, 'pgp.asc')] },
    (f) => f,
  )
  const result = await verifyRange(
    await openRepository(repo),
    'HEAD~60..HEAD',
    trust,
    { groups: {}, rules: [] },
    new Date(Date.now() + 60_000),
  )
  const total = ms(t0)
  if (result.findings.length !== 0)
    throw new Error(`expected every commit to verify: ${JSON.stringify(result.findings[0])}`)
  console.log(
    `verify-commits: 60 commits (40 SSH, 20 OpenPGP) in ${total.toFixed(0)} ms, ${(total / 60).toFixed(1)} ms per commit (git processes included)`,
  )
} finally {
  rmSync(base, { recursive: true, force: true })
}

// Secret rules over the benchmark corpus.
const work = join(root, '.bench', 'gate-corpus')
const generated = writeCorpus(work, 2000, 42)
const files: { path: string; text: string }[] = []
const walk = (dir: string): void => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) walk(p)
    else files.push({ path: p, text: readFileSync(p, 'utf8') })
  }
}
walk(work)
const bytes = files.reduce((n, f) => n + f.text.length, 0)
let t0 = process.hrtime.bigint()
let found = 0
for (const f of files) found += scanSecretsInFile(f.path, f.text).length
const scanMs = ms(t0)
console.log(
  `secrets: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB in ${scanMs.toFixed(0)} ms (${(bytes / 1e6 / (scanMs / 1000)).toFixed(1)} MB/s), ${found} findings`,
)
t0 = process.hrtime.bigint()
for (const f of files) redactSecretsInFile(f.path, f.text)
console.log(`redaction for code frames: ${files.length} files in ${ms(t0).toFixed(0)} ms`)
const { set } = compilePolicySet([credentialPolicy])
t0 = process.hrtime.bigint()
for (const docs of generated.objects) for (const object of docs) evaluate(set, object as Record<string, unknown>)
console.log(`scan-time credential policy: ${generated.resources} resources in ${ms(t0).toFixed(0)} ms`)
rmSync(work, { recursive: true, force: true })
