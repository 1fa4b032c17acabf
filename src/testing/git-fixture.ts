import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/**
 * A real Git repository in a temporary folder, isolated from the user's configuration
 * (HOME, GNUPGHOME and the global/system git config point into the folder). Commits get
 * deterministic dates unless a test passes its own.
 */
export class GitFixture {
  readonly dir: string
  readonly home: string
  readonly env: Record<string, string>
  private tick = 0

  constructor(prefix = 'palisade-git-') {
    const base = mkdtempSync(join(tmpdir(), prefix))
    this.home = join(base, 'home')
    this.dir = join(base, 'repo')
    mkdirSync(this.home, { mode: 0o700 })
    mkdirSync(join(this.home, '.gnupg'), { mode: 0o700 })
    mkdirSync(this.dir)
    this.env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      GNUPGHOME: join(this.home, '.gnupg'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: join(this.home, '.gitconfig'),
      LANG: 'C',
    }
    this.git('init', '-q', '-b', 'main')
    this.git('config', 'user.name', 'Dev One')
    this.git('config', 'user.email', 'dev@example.com')
    this.git('config', 'commit.gpgsign', 'false')
  }

  /** Run git in the repository; returns stdout. */
  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      env: { ...this.env, ...this.dates() },
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    })
  }

  /** Run git with bytes on stdin. */
  gitInput(input: string | Buffer, ...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      env: { ...this.env, ...this.dates() },
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    })
  }

  /** Run any program with the fixture's environment (ssh-keygen, gpg). */
  run(program: string, args: string[], input?: string): string {
    return execFileSync(program, args, {
      cwd: this.dir,
      env: this.env,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(input === undefined ? {} : { input }),
    })
  }

  /** Write a file (parents created) relative to the repository. */
  write(path: string, text: string): void {
    const abs = join(this.dir, path)
    mkdirSync(dirname(abs), { recursive: true })
    writeFileSync(abs, text)
  }

  /** Stage everything and commit; returns the new commit's full hash. */
  commit(message: string, ...extra: string[]): string {
    this.git('add', '-A')
    this.git('commit', '-q', '--allow-empty', '-m', message, ...extra)
    return this.git('rev-parse', 'HEAD').trim()
  }

  /** Remove the temporary folder. */
  cleanup(): void {
    rmSync(dirname(this.dir), { recursive: true, force: true })
  }

  private dates(): Record<string, string> {
    const when = `${1_767_225_600 + this.tick++ * 60} +0000` // 2026-01-01T00:00:00Z, one minute apart
    return { GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when }
  }
}
