/**
 * Hole: to find the chart line that wrote a value, a template line's text around its
 * `{{ ... }}` actions became a regular expression with a `[\s\S]*` per action. The chart
 * comes from the scanned repository; a line of twelve actions separated by `x` against a
 * rendered value of 200 `x` and a `y` backtracks for ages. Parts are now found with indexOf.
 * Run in a child process (tsx) so that, before the fix, the test fails on the time-out.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../e2e/run-cli.js'

const SCRIPT = `
import { lineWrites } from './src/gitops/template-index.ts'
const hostile = '- ' + Array.from({ length: 12 }, (_, i) => 'x{{ .Values.v' + i + ' }}').join('') + 'x'
console.log(JSON.stringify([
  lineWrites(hostile, 'x'.repeat(200) + 'y'),
  lineWrites(hostile, 'x'.repeat(40)),
  lineWrites('- --port={{ .Values.port }}', '--port=9898'),
  lineWrites('image: "{{ .Values.repo }}:{{ .Values.tag }}"', 'ghcr.io/app:1.2.3'),
  lineWrites('image: "{{ .Values.repo }}:{{ .Values.tag }}"', 'ghcr.io/app'),
  lineWrites('name: {{ .Release.Name }}-web', 'shop-api'),
  lineWrites('name: a{{ .X }}a', 'a'),
]))
`

describe('locating a rendered value in a Helm template line', () => {
  it('answers in time for a line of many actions and keeps its meaning', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      killSignal: 'SIGKILL',
    })
    expect(child.signal, 'killed after 30 s').toBeNull()
    expect(child.status, child.stderr).toBe(0)
    expect(JSON.parse(child.stdout)).toEqual([false, true, true, true, false, false, false])
  })
})
