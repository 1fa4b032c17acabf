import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { captureIo, GitFixture, secretSamples } from '../../src/testing/index.js'

// The pull-request gate takes what CI systems pass as a range (a single ref meaning
// REF...HEAD, A..B, A...B, full SHAs, HEAD~N) and refuses anything else with a usage error
// (exit 2) before any of it reaches a git command line. `secrets --git` shows which commits a
// range covers (each finding names its commit); verify-commits and scan --baseline share the
// checks. A real history: main moves on after the feature branch forked.

const tokens = [1, 2, 3, 4].map(
  (seed) => secretSamples(seed).find((s) => s.expected[0] === 'github-token')?.values[0] as string,
)

describe('the ranges a pull-request gate accepts', () => {
  let repo: GitFixture
  const at: Record<string, string> = {}

  beforeAll(() => {
    repo = new GitFixture()
    repo.write('README.md', 'docs\n')
    repo.commit('root')
    repo.write('a.sh', `export GITHUB_TOKEN=${tokens[0]}\n`)
    at.beforeFork = repo.commit('on main, before the fork')
    repo.git('checkout', '-q', '-b', 'feature')
    repo.git('checkout', '-q', 'main')
    repo.write('b.sh', `export GITHUB_TOKEN=${tokens[1]}\n`)
    at.mainAfterFork = repo.commit('on main, after the fork')
    repo.git('checkout', '-q', 'feature')
    repo.write('c.sh', `export GITHUB_TOKEN=${tokens[2]}\n`)
    at.feature1 = repo.commit('feature 1')
    repo.write('d.sh', `export GITHUB_TOKEN=${tokens[3]}\n`)
    at.feature2 = repo.commit('feature 2')
  })
  afterAll(() => repo.cleanup())

  const commitsOf = async (range: string): Promise<{ code: number; commits: string[]; err: string }> => {
    const io = captureIo(repo.dir)
    const code = await main(['secrets', '--git', range, '--format', 'json'], io)
    const out = io.out()
    const commits =
      out === '' ? [] : (JSON.parse(out) as { findings: { commit: string }[] }).findings.map((f) => f.commit)
    return { code, commits: [...new Set(commits)].sort(), err: io.err() }
  }
  const names = (...keys: string[]): string[] => keys.map((k) => at[k] as string).sort()

  it('a single ref (origin/main in CI) means REF...HEAD: only the commits of the pull request', async () => {
    expect((await commitsOf('main')).commits).toEqual(names('feature1', 'feature2'))
  })

  it("A...B is B's side of the fork point, not the symmetric difference (main's newer commit is not the PR's)", async () => {
    expect((await commitsOf('main...HEAD')).commits).toEqual(names('feature1', 'feature2'))
    expect((await commitsOf('main...feature')).commits).toEqual(names('feature1', 'feature2'))
  })

  it('A..B, full SHAs and HEAD~N', async () => {
    expect((await commitsOf('main..HEAD')).commits).toEqual(names('feature1', 'feature2'))
    expect((await commitsOf(`${at.beforeFork}..${at.feature2}`)).commits).toEqual(names('feature1', 'feature2'))
    expect((await commitsOf('HEAD~1')).commits).toEqual(names('feature2'))
    expect((await commitsOf(at.feature1 as string)).commits).toEqual(names('feature2'))
  })

  it("a ref at HEAD's own commit keeps its meaning: the whole history", async () => {
    expect((await commitsOf('HEAD')).commits).toEqual(names('beforeFork', 'feature1', 'feature2'))
  })

  it('an unknown revision is a usage error naming it (exit 2)', async () => {
    const { code, err } = await commitsOf('nosuch..HEAD')
    expect(code).toBe(2)
    expect(err).toContain('--git: unknown revision "nosuch"')
  })

  it.each([
    '--output=pwned',
    'main..--output=pwned',
    '--output=pwned...HEAD',
    'main\n--output=pwned',
    'main --output=pwned',
    'HEAD:a.sh',
    'main..HEAD..main',
    'HEAD@{1}',
  ])(
    'refuses %j with exit 2 in secrets, verify-commits and scan --baseline, and git never sees it',
    async (hostile) => {
      const secrets = await commitsOf(hostile)
      expect(secrets.code).toBe(2)
      expect(secrets.err).toMatch(/--git: ".*" is not a revision/)
      const verify = captureIo(repo.dir)
      expect(await main(['verify-commits', '--allowed-signers', 'README.md', '--', hostile], verify)).toBe(2)
      expect(verify.err()).toMatch(/range: ".*" is not a revision/)
      const scan = captureIo(repo.dir)
      expect(await main(['scan', '.', '--baseline', hostile, '--format', 'json'], scan)).toBe(2)
      expect(scan.err()).toMatch(/--baseline: ".*" is not a revision/)
      expect(existsSync(join(repo.dir, 'pwned'))).toBe(false)
    },
  )
})
