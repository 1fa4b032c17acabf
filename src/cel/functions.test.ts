import { describe } from 'vitest'
import { runCases } from './cases.test-support.js'

const act = { s: 'héllo', e: '😀x', l: [1, 2], m: { a: 1 }, i: 42, d: 1.5, n: null }

describe('size and string predicates', () => {
  runCases(
    [
      ['size("abc")', 3],
      ['size(s)', 5],
      ['size(e)', 2],
      ['e.size()', 2],
      ["size(b'abc')", 3],
      ['size(l)', 2],
      ['size(m)', 1],
      ['size({})', 0],
      ['"hello".contains("ell")', true],
      ['"hello".startsWith("he")', true],
      ['"hello".endsWith("lo")', true],
      ['s.contains("é")', true],
      { expr: 'size(1)', compileError: /found no matching overload for 'size' applied to \(int\)/ },
      { expr: 'size(i)', error: /no matching overload for 'size' applied to \(int\)/ },
      { expr: 'i.startsWith("4")', error: /no matching overload for 'startsWith'/ },
      { expr: '"a".nope()', compileError: /undeclared reference to 'nope'/ },
    ],
    { act },
  )
})

describe('conversions', () => {
  runCases(
    [
      ['int("-12")', -12],
      ['int(3.9)', 3],
      ['int(-3.9)', -3],
      ['int(7u)', 7],
      ['int(timestamp("1970-01-01T00:01:00Z"))', 60],
      ['uint(3)', 3],
      ['uint("18446744073709551615")', '18446744073709551615'],
      ['double(1)', 1],
      ['type(double(1))', 'double'],
      ['double("1.5e3")', 1500],
      ['double("-inf") < 0.0', true],
      ['string(12)', '12'],
      ['string(-0.5)', '-0.5'],
      ['string(1.0)', '1'],
      ['string(1e21)', '1e+21'],
      ['string(123456.0)', '123456'],
      ['string(0.0001)', '0.0001'],
      ['string(0.00001)', '1e-05'],
      ['string(true)', 'true'],
      ['string(5u)', '5'],
      ["string(b'abc')", 'abc'],
      ['string(duration("1h1m1.5s"))', '3661.5s'],
      ['string(timestamp("2024-02-29T12:00:00.120Z"))', '2024-02-29T12:00:00.12Z'],
      ["bytes('abc') == b'abc'", true],
      ['bool("true")', true],
      ['bool("F")', false],
      ['dyn(1) == 1', true],
      ['type(dyn(1.5))', 'double'],
      { expr: 'int("abc")', error: /cannot convert string 'abc' to int/ },
      { expr: 'int("9223372036854775808")', error: /out of range/ },
      { expr: 'int(1e19)', error: /integer overflow/ },
      { expr: 'int(18446744073709551615u)', error: /integer overflow/ },
      { expr: 'uint(-1)', error: /unsigned integer overflow/ },
      { expr: 'double("x")', error: /cannot convert/ },
      { expr: 'bool("yes")', error: /cannot convert string 'yes' to bool/ },
      { expr: "string(b'\\xff')", error: /invalid UTF-8/ },
      { expr: 'int([1])', compileError: /found no matching overload for 'int'/ },
    ],
    { act },
  )
})

describe('durations and timestamps', () => {
  runCases(
    [
      ['duration("1h30m") == duration("90m")', true],
      ['duration("1.5s").getMilliseconds()', 1500],
      ['duration("-1m").getSeconds()', -60],
      ['duration("2h45m").getHours()', 2],
      ['duration("300ms") < duration("1s")', true],
      ['duration("1s") + duration("500ms") == duration("1.5s")', true],
      ['duration("0")', '0s'],
      ['timestamp("2023-06-15T10:20:30Z").getFullYear()', 2023],
      ['timestamp("2023-06-15T10:20:30Z").getMonth()', 5],
      ['timestamp("2023-06-15T10:20:30Z").getDate()', 15],
      ['timestamp("2023-06-15T10:20:30Z").getDayOfMonth()', 14],
      ['timestamp("2023-06-15T10:20:30Z").getDayOfWeek()', 4],
      ['timestamp("2023-06-15T10:20:30Z").getDayOfYear()', 165],
      ['timestamp("2023-06-15T10:20:30.250Z").getMilliseconds()', 250],
      ['timestamp("2023-06-15T23:20:30Z").getHours("+02:00")', 1],
      ['timestamp("2023-06-15T23:20:30Z").getDate("+02:00")', 16],
      ['timestamp("2023-01-15T12:00:00Z").getHours("America/New_York")', 7],
      ['timestamp("2023-07-15T12:00:00Z").getHours("America/New_York")', 8],
      ['timestamp("2023-06-15T10:20:30+02:00") == timestamp("2023-06-15T08:20:30Z")', true],
      ['timestamp("2023-01-01T00:00:00Z") + duration("24h") == timestamp("2023-01-02T00:00:00Z")', true],
      ['timestamp("2023-01-02T00:00:00Z") - timestamp("2023-01-01T00:00:00Z") == duration("24h")', true],
      ['timestamp("2023-01-02T00:00:00Z") - duration("1h") < timestamp("2023-01-02T00:00:00Z")', true],
      ['duration("1h") + timestamp("1970-01-01T00:00:00Z") == timestamp(3600)', true],
      ['string(timestamp(0))', '1970-01-01T00:00:00Z'],
      ['timestamp("0001-01-01T00:00:00Z").getFullYear()', 1],
      { expr: 'duration("1d")', error: /invalid duration/ },
      { expr: 'duration("")', error: /invalid duration/ },
      { expr: 'timestamp("2023-02-30T00:00:00Z")', error: /invalid timestamp/ },
      { expr: 'timestamp("2023-01-01")', error: /invalid timestamp/ },
      { expr: 'timestamp("9999-12-31T23:59:59Z") + duration("1s")', error: /timestamp out of range/ },
      { expr: 'timestamp("2023-01-01T00:00:00Z").getHours("Mars/Olympus")', error: /invalid time zone/ },
      { expr: 'duration("1s") + 1', compileError: /no matching overload/ },
    ],
    { act },
  )
})
