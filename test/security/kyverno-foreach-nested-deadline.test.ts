/**
 * Hole: a Kyverno foreach nested three deep over 200 containers is 8 million element
 * evaluations; it ran for about a minute with nothing to stop it. Each element now spends
 * from the evaluation's budget, whose deadline (2 s by default, --eval-timeout) ends it with
 * an error finding for that policy and resource, and the scan goes on.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  findingsOf,
  NESTED_FOREACH_POLICY,
  podWithContainers,
  scanInChild,
  tempDir,
  writeFiles,
} from './hostile-fixtures.js'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('a Kyverno foreach nested three deep over 200 containers', () => {
  it('ends in an error finding for that policy and resource, and the scan judges the other resources', () => {
    const { dir, remove } = tempDir('palisade-nested-foreach-')
    cleanup = remove
    writeFiles(dir, {
      'policies/nested.yaml': NESTED_FOREACH_POLICY,
      'manifests/wide.yaml': JSON.stringify(podWithContainers('wide', 200)),
      'manifests/small.yaml': JSON.stringify(podWithContainers('small', 3)),
    })
    const run = scanInChild(dir, ['manifests', '--policy-dir', 'policies', '--format', 'json', '--no-render'], 45_000)
    expect(run.signal, 'the scan was killed after 45 s').toBeNull()
    const findings = findingsOf(run.stdout).filter((f) => f.policy === 'nested-foreach')
    expect(findings.map((f) => [f.resource.name, f.status, f.messageId])).toEqual([
      ['wide', 'error', 'evaluationLimit'],
    ])
  })

  it('stops at the deadline --eval-timeout sets', () => {
    const { dir, remove } = tempDir('palisade-nested-foreach-')
    cleanup = remove
    writeFiles(dir, {
      'policies/nested.yaml': NESTED_FOREACH_POLICY,
      'manifests/wide.yaml': JSON.stringify(podWithContainers('wide', 200)),
    })
    const run = scanInChild(
      dir,
      ['manifests', '--policy-dir', 'policies', '--format', 'json', '--no-render', '--eval-timeout', '1'],
      45_000,
    )
    const findings = findingsOf(run.stdout).filter((f) => f.policy === 'nested-foreach')
    expect(findings.map((f) => [f.status, f.messageId])).toEqual([['error', 'evaluationLimit']])
    expect(findings[0]?.message).toMatch(/time limit exceeded \(1 ms\)/)
  })
})
