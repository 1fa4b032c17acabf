import fc from 'fast-check'
import { RE2JS } from 're2js'
import { describe, expect, it } from 'vitest'
import { runCases } from './cases.test-support.js'
import { compileCel } from './index.js'

const act = { image: 'ghcr.io/acme/api:1.4.2', name: 'Web-App', e: 'a😀b😀c', p: '^ghcr\\.io/' }

describe('strings extension', () => {
  runCases(
    [
      ['"hello".charAt(4)', 'o'],
      ['"hello".charAt(5)', ''],
      ['e.charAt(1)', '😀'],
      ['"hello mellow".indexOf("")', 0],
      ['"hello mellow".indexOf("ello")', 1],
      ['"hello mellow".indexOf("jello")', -1],
      ['"hello mellow".indexOf("ello", 2)', 7],
      ['e.indexOf("b")', 2],
      ['"hello mellow".lastIndexOf("")', 12],
      ['"hello mellow".lastIndexOf("ello")', 7],
      ['"hello mellow".lastIndexOf("ello", 6)', 1],
      ['e.lastIndexOf("😀")', 3],
      ['name.lowerAscii()', 'web-app'],
      ['"TacoCÆt".upperAscii()', 'TACOCÆT'],
      ['"hello hello".replace("he", "we")', 'wello wello'],
      ['"hello hello".replace("he", "we", 1)', 'wello hello'],
      ['"hello hello".replace("he", "we", 0)', 'hello hello'],
      ['"ab".replace("", "-")', '-a-b-'],
      ['"a,b,c".split(",")', ['a', 'b', 'c']],
      ['"a,b,c".split(",", 2)', ['a', 'b,c']],
      ['"a,b,c".split(",", 0)', []],
      ['"a,b,c".split(",", 1)', ['a,b,c']],
      ['"abc".split("")', ['a', 'b', 'c']],
      ['"tacocat".substring(4)', 'cat'],
      ['"tacocat".substring(0, 4)', 'taco'],
      ['e.substring(1, 3)', '😀b'],
      ['"  \\ttrim\\n ".trim()', 'trim'],
      ['["a", "b"].join()', 'ab'],
      ['["a", "b"].join(", ")', 'a, b'],
      ['[].join("/")', ''],
      ['"gums".reverse()', 'smug'],
      ['e.reverse()', 'c😀b😀a'],
      ['strings.quote("a\\"b\\n")', '"a\\"b\\n"'],
      ['image.split(":")[1]', '1.4.2'],
      { expr: '"hello".charAt(-1)', error: /index out of range/ },
      { expr: '"hello".charAt(6)', error: /index out of range/ },
      { expr: '"hello".indexOf("l", 20)', error: /index out of range/ },
      { expr: '"hello".lastIndexOf("l", -1)', error: /index out of range/ },
      { expr: '"tacocat".substring(-1)', error: /index out of range/ },
      { expr: '"tacocat".substring(2, 1)', error: /invalid substring range/ },
      { expr: '[1, 2].join()', error: /only strings/ },
    ],
    { act },
  )
})

describe('string.format', () => {
  runCases(
    [
      ['"%s is %d".format(["x", 5])', 'x is 5'],
      ['"%s".format([1.5])', '1.5'],
      ['"%s".format([[1, "a", 2.0]])', '[1, "a", 2.000000]'],
      ['"%s".format([{"b": 1, "a": true}])', '{"a":true, "b":1}'],
      ['"%s".format([null])', 'null'],
      ['"%s %s".format([true, b"hi"])', 'true hi'],
      ['"%s".format([duration("90s")])', '90s'],
      ['"%s".format([int])', 'int'],
      ['"%d%%".format([50])', '50%'],
      ['"%d".format([5u])', '5'],
      ['"%.2f".format([3.14159])', '3.14'],
      ['"%f".format([1.0])', '1.000000'],
      ['"%e".format([1234.5])', '1.234500e+03'],
      ['"%.1e".format([0.000123])', '1.2e-04'],
      ['"%x".format([255])', 'ff'],
      ['"%X".format(["hi"])', '6869'],
      ['"%x".format([-255])', '-ff'],
      ['"%o".format([8])', '10'],
      ['"%b".format([5])', '101'],
      ['"%b".format([true])', '1'],
      ['"%f".format(["NaN"])', 'NaN'],
      { expr: '"%d".format([1.5])', error: /decimal clause can only be used on integers/ },
      { expr: '"%f".format([1])', error: /fixed-point clause can only be used on doubles/ },
      { expr: '"%s %s".format(["a"])', error: /index 1 out of range/ },
      { expr: '"%q".format([1])', compileError: /unrecognized formatting clause/ },
      { expr: 'name.format([1])', error: /./, act: { name: '%z' } },
    ],
    { act },
  )
})

describe('regular expressions (RE2)', () => {
  runCases(
    [
      ['image.matches("^ghcr\\\\.io/")', true],
      ['image.matches(p)', true],
      ['matches(image, ":[0-9]+\\\\.[0-9]+")', true],
      ['"ABC".matches("(?i)abc")', true],
      ['"a\\nb".matches("a.b")', false],
      ['"a\\nb".matches("(?s)a.b")', true],
      ['"line1\\nline2".matches("(?m)^line2$")', true],
      ['"line1\\nline2".matches("^line2$")', false],
      ['"xyz".matches("")', true],
      ['"xyz".matches("y")', true],
      ['"x$y".matches("\\\\$y$")', true],
      ['"é".matches("^.$")', true],
      ['"٣".matches("\\\\d")', false],
      ['"abc 123 def 456".find("[0-9]+")', '123'],
      ['"abc".find("[0-9]+")', ''],
      ['"abc 123 def 456".findAll("[0-9]+")', ['123', '456']],
      ['"a1b2c3".findAll("[0-9]", 2)', ['1', '2']],
      ['"a1b2c3".findAll("[0-9]", 0)', []],
      ['"a1b2c3".findAll("[0-9]", -1)', ['1', '2', '3']],
      { expr: '"x".matches("(")', compileError: /invalid regular expression/ },
      { expr: '"x".matches("a\\\\1")', compileError: /invalid regular expression/ },
      { expr: '"x".matches("(?<=a)b")', compileError: /invalid regular expression/ },
      { expr: 'image.matches(p)', act: { image: 'x', p: '[' }, error: /invalid regular expression/ },
    ],
    { act },
  )

  it('matches in linear time on inputs that make backtracking engines explode', () => {
    const r = compileCel('s.matches("^(a+)+$")', { variables: ['s'] })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const t = performance.now()
    expect(r.program({ s: `${'a'.repeat(5000)}!` })).toBe(false)
    expect(performance.now() - t).toBeLessThan(2000)
  })
})

describe('regex fast paths agree with RE2', () => {
  const patterns = [
    '^(ghcr\\.io|registry\\.example\\.com)/',
    'a.c',
    '^[a-c]\\d$',
    '(x|y)z',
    '\\s',
    '[^a]b',
    'ab|^c',
    '^$',
    'a\\.b',
    '^[-a-z]$',
  ]
  const input = fc.stringMatching(/^[abcxyz0-9.\n\t /r-]{0,8}$/)
  it.each(patterns)('%s', (pattern) => {
    const r = compileCel(`s.matches(${JSON.stringify(pattern)}) == r && s.find(${JSON.stringify(pattern)}) == f`, {
      variables: ['s', 'r', 'f'],
    })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const re = RE2JS.compile(pattern)
    fc.assert(
      fc.property(input, (s) => {
        const m = re.matcher(s)
        const f = m.find() ? (m.group() ?? '') : ''
        expect(r.program({ s, r: re.test(s), f })).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})
