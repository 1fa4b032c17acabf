import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from '../../src/testing/index.js'
import { ROOT } from './run-cli.js'

const PRIVILEGED_POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n  namespace: team\nspec:\n  containers:\n    - name: app\n      image: app:1.0.0\n      securityContext:\n        privileged: true\n'

// A repository that does not install Palisade, and a PATH with git but no palisade and no
// npx: the hook must start the Palisade that installed it.
describe('palisade hook install in a repository without Palisade', () => {
  let repo: GitFixture
  let bin: string
  let env: Record<string, string>

  beforeAll(() => {
    repo = new GitFixture()
    bin = mkdtempSync(join(tmpdir(), 'palisade-hook-path-'))
    const git = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim()
    symlinkSync(git, join(bin, 'git'))
    env = { ...repo.env, PATH: `${bin}:/usr/bin:/bin` }
    repo.write('README.md', 'hello\n')
    repo.commit('start')
  })
  afterAll(() => {
    repo.cleanup()
    rmSync(bin, { recursive: true, force: true })
  })

  const commit = (message: string): { ok: boolean; output: string } => {
    const run = spawnSync('git', ['commit', '-q', '-m', message], { cwd: repo.dir, env, encoding: 'utf8' })
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` }
  }

  it('runs the installing Palisade by absolute paths: a clean commit passes, a privileged Pod is stopped', () => {
    const install = spawnSync(process.execPath, [join(ROOT, 'bin/palisade.js'), 'hook', 'install'], {
      cwd: repo.dir,
      env,
      encoding: 'utf8',
    })
    expect(install.status).toBe(0)
    const hook = readFileSync(join(repo.dir, '.git/hooks/pre-commit'), 'utf8')
    expect(hook).toContain(`palisade='${join(ROOT, 'bin/palisade.js')}'`)
    expect(hook).toContain(`node='${process.execPath}'`)

    repo.write('docs.txt', 'notes\n')
    repo.git('add', 'docs.txt')
    expect(commit('clean')).toEqual({ ok: true, output: '' })

    repo.write('pod.yaml', PRIVILEGED_POD)
    repo.git('add', 'pod.yaml')
    const blocked = commit('privileged')
    expect(blocked.output).toContain('disallow-privileged-containers')
    expect(blocked.ok).toBe(false)
    repo.git('rm', '-q', '--cached', 'pod.yaml')
  })

  it('says so, and stops the commit, when that Palisade has disappeared (paths with spaces and quotes)', () => {
    // A copy of Palisade's entry point in a folder with a space and a quote, installed from there, then removed.
    const place = mkdtempSync(join(tmpdir(), "palisade it's gone "))
    mkdirSync(join(place, 'bin'))
    const entry = join(place, 'bin', 'palisade.js')
    copyFileSync(join(ROOT, 'bin/palisade.js'), entry)
    const script = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { hookScript } from ${JSON.stringify(join(ROOT, 'dist/cli/hook-command.js'))}; process.stdout.write(hookScript(undefined, { node: process.execPath, entry: ${JSON.stringify(entry)} }))`,
      ],
      { encoding: 'utf8' },
    )
    expect(script).toContain(`palisade='${entry.replace(/'/g, `'\\''`)}'`)
    execFileSync('sh', ['-c', 'cat > "$1" && chmod 755 "$1"', 'sh', join(repo.dir, '.git/hooks/pre-commit')], {
      input: script,
    })
    rmSync(place, { recursive: true, force: true })

    repo.write('more.txt', 'more\n')
    repo.git('add', 'more.txt')
    const run = commit('after the install moved')
    expect(run.ok).toBe(false)
    expect(run.output).toContain(`the Palisade that installed this hook is gone (${entry} with ${process.execPath})`)
    expect(run.output).toContain('git commit --no-verify')
  })
})
