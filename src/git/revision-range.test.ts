import { describe, expect, it } from 'vitest'
import { ToolError } from '../core/index.js'
import { checkRevision, parseRevisionRange } from './revision-range.js'

const SHA1 = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

describe('parseRevisionRange: what CI systems pass', () => {
  it.each([
    ['origin/main', { form: 'single', base: 'origin/main' }],
    [SHA1, { form: 'single', base: SHA1 }],
    [SHA256, { form: 'single', base: SHA256 }],
    ['HEAD~3', { form: 'single', base: 'HEAD~3' }],
    ['HEAD^2~1', { form: 'single', base: 'HEAD^2~1' }],
    ['v1.2.0', { form: 'single', base: 'v1.2.0' }],
    ['refs/remotes/origin/release-1.x', { form: 'single', base: 'refs/remotes/origin/release-1.x' }],
    ['origin/main..HEAD', { form: 'two-dot', base: 'origin/main', head: 'HEAD' }],
    [`${SHA1}..${SHA1}`, { form: 'two-dot', base: SHA1, head: SHA1 }],
    ['origin/main...feature/x', { form: 'three-dot', base: 'origin/main', head: 'feature/x' }],
    ['@{upstream}..HEAD', { form: 'two-dot', base: '@{upstream}', head: 'HEAD' }],
    ['main@{u}...HEAD~1', { form: 'three-dot', base: 'main@{u}', head: 'HEAD~1' }],
  ])('%s', (text, expected) => {
    expect(parseRevisionRange(text, 'range')).toEqual(expected)
  })
})

describe('parseRevisionRange: anything else is a usage error before git sees it', () => {
  it.each([
    ['--output=/tmp/x', /starts with "-"/],
    ['-n1', /starts with "-"/],
    ['main..--all', /starts with "-"/],
    ['main...-p', /starts with "-"/],
    ['main ..HEAD', /whitespace/],
    ['main\n--all', /whitespace/],
    ['main\tHEAD', /whitespace/],
    ['main\u0000', /control/],
    ['main\u001b[31m', /control/],
    ['main\u202e', /format characters/],
    ['', /empty/],
    ['..HEAD', /both sides/],
    ['main..', /both sides/],
    ['main...', /both sides/],
    ['a..b..c', /".."/],
    ['a....b', /ref name/],
    ['HEAD:secret.txt', /~ \^ :/],
    ['main^{tree}', /~ \^ :/],
    ['refs/*', /~ \^ :/],
    ['HEAD@{1}', /reflog/],
    ['@{-1}', /reflog/],
    ['.hidden', /begin with "\."/],
    ['main.lock', /\.lock/],
    ['a//b', /empty component/],
    ['main/', /begin or end/],
    ['~3', /names no ref/],
    ['x'.repeat(2000), /longer than/],
  ])('%j', (text, why) => {
    let error: unknown
    try {
      parseRevisionRange(text, 'range')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ToolError)
    expect((error as ToolError).code).toBe('USAGE')
    expect((error as ToolError).message).toMatch(why)
  })

  it('shows the refused text with its control and bidi characters escaped', () => {
    expect(() => checkRevision('a\u001b[2Jb\u202e', '--baseline')).toThrow(
      '--baseline: "a\\u{1b}[2Jb\\u{202e}" is not a revision',
    )
  })
})
