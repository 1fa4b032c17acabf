import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { checkSyntheticMerge, openRepository } from '../../src/git/index.js'
import { captureIo, GitFixture } from '../../src/testing/index.js'

const validReport = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(new URL('../../docs/schemas/scan-output.schema.json', import.meta.url), 'utf8')) as object,
)

// GitHub Actions' checkout of a pull_request event (and GitLab's merged-results pipelines)
// puts HEAD on a merge commit the CI made: parents = the base's tip and the PR's head,
// unsigned. verify-commits leaves out such a merge only when it is exactly git's merge of
// its parents onto the base (so it holds nothing unverified) and verifies the PR's own
// commits; any other merge is verified like any commit. Real repositories, real SSH
// signatures (ssh-keygen, `git commit -S`), git's own merges.

interface Report {
  findings: { messageId: string; commit: string }[]
  syntheticMerge?: { commit: string; firstParent: string; secondParent: string; verified: string; reason: string }
  verifiedMerge?: { commit: string; reason: string }
}

describe('verify-commits on a CI checkout of a pull request (a synthetic merge at HEAD)', () => {
  let repo: GitFixture
  let alice = ''
  const at: Record<string, string> = {}
  const signed = (message: string): string => repo.commit(message, '-S', `--gpg-sign=${alice}`)
  const merge = (...args: string[]): string => {
    repo.git('merge', '-q', '--no-ff', '--no-edit', ...args)
    return repo.git('rev-parse', 'HEAD').trim()
  }

  beforeAll(() => {
    repo = new GitFixture()
    alice = join(repo.home, 'alice')
    repo.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice', '-f', alice])
    repo.git('config', 'gpg.format', 'ssh')
    repo.write('.github/allowed_signers', `alice@example.com ${readFileSync(`${alice}.pub`, 'utf8').trim()}\n`)
    repo.write('palisade.yaml', 'signing:\n  allowedSigners: .github/allowed_signers\n')
    repo.write('app.yaml', 'replicas: 1\nimage: app:1\n')
    repo.write('apps/web.yaml', Array.from({ length: 12 }, (_, i) => `line${i}: value ${i}\n`).join(''))
    at.base = signed('trust alice')
    repo.git('checkout', '-q', '-b', 'feature')
    repo.write('feature.yaml', 'a: 1\n')
    at.feature1 = signed('feature 1')
    repo.write('feature.yaml', 'a: 2\n')
    at.feature2 = signed('feature 2')
    repo.git('checkout', '-q', '-b', 'unsigned-feature', at.base)
    repo.write('other.yaml', 'b: 1\n')
    at.unsigned = repo.commit('unsigned feature commit')
    repo.git('checkout', '-q', '-b', 'conflicting', at.base)
    repo.write('app.yaml', 'replicas: 5\nimage: app:1\n')
    at.conflicting = signed('scale up')
    repo.git('checkout', '-q', 'main')
    repo.write('app.yaml', 'replicas: 2\nimage: app:1\n')
    at.main = signed('main moves on after the fork')
    repo.git('branch', 'old-main', at.main)
    // What GitHub builds for refs/pull/N/merge: main's tip merged with the PR head, unsigned.
    repo.git('checkout', '-q', '--detach', at.main)
    at.synthetic = merge(at.feature2)
    repo.git('checkout', '-q', '--detach', at.main)
    at.syntheticUnsigned = merge(at.unsigned)
    // An evil merge: the same parents, plus a change nobody signed.
    repo.git('checkout', '-q', '--detach', at.main)
    repo.git('merge', '-q', '--no-ff', '--no-commit', at.feature2)
    repo.write('app.yaml', 'replicas: 2\nimage: evil:latest\n')
    at.evil = repo.commit('merge feature (with an extra change)')
    // A conflict, resolved in the merge.
    repo.git('checkout', '-q', '--detach', at.main)
    repo.git('merge', '-q', '--no-ff', '--no-commit', at.conflicting, '--strategy-option=theirs')
    at.resolved = repo.commit('merge with a resolved conflict')
    // main merged into the PR branch: the first parent is the PR's, not the base's.
    repo.git('checkout', '-q', '--detach', at.feature2)
    at.backMerge = merge(at.main)
    // An octopus merge onto main.
    repo.git('checkout', '-q', '--detach', at.main)
    repo.git('merge', '-q', '--no-edit', at.feature2, at.unsigned)
    at.octopus = repo.git('rev-parse', 'HEAD').trim()
    // main moves a file into a protected folder; the PR edits it at its old path; git's merge carries the edit there.
    repo.git('checkout', '-q', '--detach', at.main)
    repo.write('clusters/.keep', '')
    repo.git('mv', 'apps/web.yaml', 'clusters/web.yaml')
    at.movedMain = signed('move web into clusters/')
    repo.git('checkout', '-q', '--detach', at.base)
    repo.write('apps/web.yaml', Array.from({ length: 12 }, (_, i) => `line${i}: value ${i === 5 ? 'x' : i}\n`).join(''))
    at.editWeb = signed('edit web at its old path')
    repo.git('checkout', '-q', '--detach', at.movedMain)
    at.renameMerge = merge(at.editWeb)
    // A root commit at the tip (an orphan branch).
    repo.git('checkout', '-q', '--orphan', 'orphan')
    at.root = repo.commit('a root commit')
    // main moves on again after CI made its merge: the merge's first parent is an ancestor of the base.
    repo.git('checkout', '-q', 'main')
    repo.write('later.yaml', 'c: 1\n')
    at.mainLater = signed('main moves on after the merge was made')
  })
  afterAll(() => repo.cleanup())

  const verify = async (range: string, format = 'json') => {
    const io = captureIo(repo.dir)
    const code = await main(['verify-commits', range, '--format', format], io)
    return { code, out: io.out(), err: io.err() }
  }
  const report = async (range: string): Promise<{ code: number; report: Report }> => {
    const { code, out } = await verify(range)
    const parsed = JSON.parse(out) as Report
    expect(validReport(parsed), JSON.stringify(validReport.errors)).toBe(true)
    return { code, report: parsed }
  }
  const rejected = (r: Report): [string, string][] => r.findings.map((f) => [f.commit, f.messageId])

  it('passes a clean synthetic merge when the PR commits are signed, and names the merge it did not require (JSON)', async () => {
    const { code, report: r } = await report(`old-main..${at.synthetic}`)
    expect(code).toBe(0)
    expect(r.findings).toEqual([])
    expect(r.syntheticMerge).toMatchObject({
      commit: at.synthetic,
      firstParent: at.main,
      secondParent: at.feature2,
      verified: `${at.main}..${at.feature2}`,
    })
    expect(r.syntheticMerge?.reason).toContain("exactly git's merge of its two parents")
  })

  it('says so in the text report', async () => {
    const { code, out } = await verify(`old-main..${at.synthetic}`, 'text')
    expect(code).toBe(0)
    expect(out).toContain(`Merge ${at.synthetic?.slice(0, 12)} not required to be signed`)
    expect(out).toContain(`${at.main?.slice(0, 12)}..${at.feature2?.slice(0, 12)}`)
  })

  it("still verifies the PR's own commits behind a synthetic merge", async () => {
    const { code, report: r } = await report(`old-main..${at.syntheticUnsigned}`)
    expect(code).toBe(1)
    expect(rejected(r)).toEqual([[at.unsigned, 'unsigned']])
    expect(r.syntheticMerge?.commit).toBe(at.syntheticUnsigned)
  })

  it('skips it when the base moved on after the merge was made (first parent an ancestor of the base)', async () => {
    const { code, report: r } = await report(`main..${at.synthetic}`)
    expect(code).toBe(0)
    expect(r.syntheticMerge?.verified).toBe(`${at.mainLater}..${at.feature2}`)
  })

  it.each([
    ['evil', "its tree differs from git's merge of its parents"],
    ['resolved', 'merging its parents conflicts'],
    ['backMerge', 'its first parent is not the base or an ancestor of it'],
    ['octopus', 'it has 3 parents'],
  ])('verifies a %s merge like any commit: the unsigned merge is rejected', async (which, why) => {
    const tip = at[which] as string
    const { code, report: r } = await report(`old-main..${tip}`)
    expect(code).toBe(1)
    expect(rejected(r)).toContainEqual([tip, 'unsigned'])
    expect(r.syntheticMerge).toBeUndefined()
    expect(r.verifiedMerge).toEqual({ commit: tip, reason: expect.stringContaining(why) as string })
  })

  it("verifies a merge that carries the PR's edit to a path none of its commits changed (a rename on the base's side)", async () => {
    expect(repo.git('show', '--format=', '--name-only', at.renameMerge as string, '--diff-merges=first-parent')).toBe(
      'clusters/web.yaml\n',
    )
    const { code, report: r } = await report(`${at.movedMain}..${at.renameMerge}`)
    expect(code).toBe(1)
    expect(rejected(r)).toEqual([[at.renameMerge, 'unsigned']])
    expect(r.verifiedMerge?.reason).toContain('"clusters/web.yaml" that none of the pull request\'s commits changed')
  })

  it('a shallow clone (fetch-depth: 1) cannot show the merge is synthetic: it is verified, and the report says to fetch', async () => {
    repo.git('branch', '-f', 'pr-merge', at.synthetic as string)
    repo.git('branch', '-f', 'old-main', at.main as string)
    const shallow = join(repo.home, 'shallow')
    repo.git('clone', '-q', '--depth', '1', '--no-local', '--branch', 'pr-merge', `file://${repo.dir}`, shallow)
    repo.run('git', ['-C', shallow, 'fetch', '-q', '--depth', '1', 'origin', 'old-main:old-main'])
    const io = captureIo(shallow)
    const code = await main(['verify-commits', 'old-main..HEAD', '--format', 'json'], io)
    expect(code).toBe(1)
    const r = JSON.parse(io.out()) as Report
    expect(rejected(r)).toContainEqual([at.synthetic, 'unsigned'])
    expect(r.verifiedMerge?.reason).toContain('fetch-depth: 0')
  })

  it('verifies a root commit at the tip as before', async () => {
    const { code, report: r } = await report(`old-main..${at.root}`)
    expect(code).toBe(1)
    expect(rejected(r)).toEqual([[at.root, 'unsigned']])
    expect(r.syntheticMerge).toBeUndefined()
    expect(r.verifiedMerge).toBeUndefined()
  })

  it('judges from git: only the clean merge onto the base is synthetic', async () => {
    const git = await openRepository(repo.dir)
    expect((await checkSyntheticMerge(git, at.main as string, at.synthetic as string)).synthetic).toBe(true)
    expect((await checkSyntheticMerge(git, at.base as string, at.synthetic as string)).synthetic).toBe(false)
    expect((await checkSyntheticMerge(git, at.main as string, at.evil as string)).synthetic).toBe(false)
  })
})
