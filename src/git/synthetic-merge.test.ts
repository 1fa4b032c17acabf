import { describe, expect, it } from 'vitest'
import { judgeMerge, type MergeFacts } from './synthetic-merge.js'

// The rule alone, for the cases a real repository cannot easily show (a git without
// merge-tree --write-tree, facts that could not be read). The git side is tested in
// test/security/synthetic-merge.test.ts.
const clean: MergeFacts = {
  commit: 'm',
  parents: ['base', 'pr'],
  tree: 't',
  firstParentInBase: true,
  merged: { tree: 't' },
  mergePaths: ['a.yaml'],
  prPaths: ['a.yaml', 'b.yaml'],
}

describe('judgeMerge', () => {
  it('takes an exact, clean merge onto the base as synthetic', () => {
    expect(judgeMerge(clean)).toEqual({
      synthetic: true,
      merge: { commit: 'm', firstParent: 'base', secondParent: 'pr', tree: 't' },
    })
  })

  it.each<[string, Partial<MergeFacts>, string]>([
    ['a git without merge-tree --write-tree', { merged: { unsupported: 'git 2.38+ needed' } }, 'git 2.38+ needed'],
    ['a conflict', { merged: { conflict: true } }, 'conflicts'],
    ['another tree', { merged: { tree: 'other' } }, 'its tree differs'],
    ['a first parent outside the base', { firstParentInBase: false }, 'first parent is not the base'],
    ['one parent', { parents: ['base'] }, 'it has 1 parents'],
    ['a path the PR did not change', { mergePaths: ['a.yaml', 'prod/x.yaml'] }, '"prod/x.yaml"'],
    ['a change on a path the PR did not list', { prPaths: [] }, '"a.yaml"'],
  ])('refuses %s', (_, change, why) => {
    const judged = judgeMerge({ ...clean, ...change })
    expect(judged.synthetic).toBe(false)
    expect(judged.synthetic === false && judged.why).toContain(why)
  })

  it('shows a path with control or bidi characters escaped', () => {
    const judged = judgeMerge({ ...clean, mergePaths: ['a\u001b[31m\u202e.yaml'] })
    expect(judged.synthetic === false && judged.why).toContain('"a\\u{1b}[31m\\u{202e}.yaml"')
  })

  it('refuses when the paths could not be read', () => {
    const { prPaths: _, ...unread } = clean
    expect(judgeMerge(unread)).toMatchObject({ synthetic: false })
  })
})
