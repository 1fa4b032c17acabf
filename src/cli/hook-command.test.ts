import { execFileSync } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureIo, GitFixture, secretSamples } from '../testing/index.js'
import { main } from './main.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const awsKey = secretSamples(11).find((s) => s.expected[0] === 'aws-access-key-id')?.values[0] as string

describe('palisade hook', () => {
  let repo: GitFixture
  let command: string

  beforeAll(async () => {
    repo = new GitFixture()
    // The hook starts Palisade from this checkout's sources, as `palisade` would start the build.
    const entry = join(repo.home, 'palisade.mts')
    writeFileSync(
      entry,
      `import { main } from ${JSON.stringify(join(root, 'src/cli/main.ts'))}\nprocess.exitCode = await main(process.argv.slice(2))\n`,
    )
    command = `${join(root, 'node_modules/.bin/tsx')} ${entry}`
    repo.write('README.md', 'hello\n')
    repo.commit('start')
    const io = captureIo(repo.dir)
    expect(await main(['hook', 'install', '--command', command], io)).toBe(0)
    expect(io.out()).toContain('Installed the pre-commit hook at .git/hooks/pre-commit')
  })
  afterAll(() => repo.cleanup())

  /** A real `git commit`, which runs the installed hook; returns whether it went through and what the hook said. */
  const commit = (message: string): { ok: boolean; output: string } => {
    try {
      const output = execFileSync('git', ['commit', '-q', '-m', message], {
        cwd: repo.dir,
        env: repo.env,
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      return { ok: true, output }
    } catch (error) {
      const e = error as { stdout: string; stderr: string }
      return { ok: false, output: `${e.stdout}${e.stderr}` }
    }
  }

  it('writes an executable hook that starts Palisade', () => {
    const file = join(repo.dir, '.git/hooks/pre-commit')
    expect(readFileSync(file, 'utf8')).toContain(`exec ${command} hook run pre-commit`)
    expect(statSync(file).mode & 0o111).not.toBe(0)
  })

  it('stops a commit that stages a secret, without printing it', () => {
    repo.write('ci/deploy.env', `AWS_ACCESS_KEY_ID=${awsKey}\n`)
    repo.git('add', 'ci/deploy.env')
    const { ok, output } = commit('add deploy credentials')
    expect(ok).toBe(false)
    expect(output).toContain('AWS access key ID')
    expect(output).not.toContain(awsKey)
    repo.git('rm', '-q', '--cached', 'ci/deploy.env')
  })

  it('stops a commit that stages a manifest a policy denies', () => {
    repo.write(
      'apps/web.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: { name: web }\nspec:\n  containers:\n    - name: app\n      image: nginx:1.25\n      securityContext: { privileged: true }\n',
    )
    repo.git('add', 'apps/web.yaml')
    const { ok, output } = commit('privileged pod')
    expect(ok).toBe(false)
    expect(output).toContain('disallow-privileged-containers')
    expect(output).toContain('run `palisade fix --staged`') // nginx:1.25 is not fully qualified: a safe fix
    repo.git('rm', '-q', '--cached', 'apps/web.yaml')
  })

  it('checks what is staged, not the working tree', () => {
    repo.write('notes.txt', 'nothing secret\n')
    repo.git('add', 'notes.txt')
    repo.write('notes.txt', `nothing secret\nAWS_ACCESS_KEY_ID=${awsKey}\n`) // edited after staging
    expect(commit('clean notes')).toMatchObject({ ok: true })
    expect(repo.git('show', 'HEAD:notes.txt')).toBe('nothing secret\n')
  })

  it('reads palisade.yaml, including one that names the scan-time credential policy', () => {
    writeFileSync(
      join(repo.dir, 'palisade.yaml'),
      'policies:\n  disable: [disallow-hardcoded-credentials, disallow-privileged-containers]\n',
    )
    repo.write(
      'apps/web.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: { name: web }\nspec:\n  containers:\n    - name: app\n      image: nginx:1.25\n      securityContext: { privileged: true, runAsNonRoot: true }\n',
    )
    repo.git('add', 'apps/web.yaml')
    const { ok, output } = commit('privileged, but the policy is disabled')
    expect(output).not.toContain('disallow-privileged-containers')
    expect(output).not.toContain('unknown policy')
    expect(ok).toBe(false) // other built-in policies still deny this pod (no resource limits, ...)
    expect(output).toContain('Blocking')
    repo.git('reset', '-q', '--hard', 'HEAD')
    repo.git('clean', '-qfd')
  })

  it('refuses to replace a hook it did not write, unless forced (keeping the old one)', async () => {
    const file = join(repo.dir, '.git/hooks/pre-commit')
    writeFileSync(file, '#!/bin/sh\necho custom\n', { mode: 0o755 })
    const io = captureIo(repo.dir)
    expect(await main(['hook', 'install'], io)).toBe(2)
    expect(io.err()).toContain('already exists and was not written by Palisade')
    expect(await main(['hook', 'install', '--force', '--command', command], captureIo(repo.dir))).toBe(0)
    expect(readFileSync(`${file}.before-palisade`, 'utf8')).toContain('echo custom')
    expect(readFileSync(file, 'utf8')).toContain('palisade-hook v1')
  })
})
