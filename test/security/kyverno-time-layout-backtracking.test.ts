/**
 * Hole: Go time layouts of Kyverno's time_parse() were compiled to backtracking JS regular
 * expressions, and the layout can come from the resource. `1_2` repeated sixteen times is
 * thirty-two `\d{1,2}` fields; rejecting 48 digits and an `x` took minutes. Layouts now
 * compile to RE2.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { findingsOf, scanInChild, tempDir, writeFiles } from './hostile-fixtures.js'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: stamp-in-the-past
spec:
  validationFailureAction: Enforce
  rules:
    - name: stamp-parses
      match:
        any:
          - resources:
              kinds: [ConfigMap]
      validate:
        message: "the stamp annotation must be a time in the layout the layout annotation names"
        deny:
          conditions:
            any:
              - key: "{{ time_parse(request.object.metadata.annotations.layout, request.object.metadata.annotations.stamp) }}"
                operator: Equals
                value: ""
`
const configMap = (name: string, layout: string, stamp: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'shop', annotations: { layout, stamp } },
    data: {},
  })

describe('Kyverno time_parse with a layout taken from the resource', () => {
  it('rejects a hostile layout in time and still parses an ordinary one', () => {
    const { dir, remove } = tempDir('palisade-time-layout-')
    cleanup = remove
    writeFiles(dir, {
      'policies/stamp.yaml': POLICY,
      'manifests/hostile.yaml': configMap('hostile', '1_2'.repeat(16), `${'1'.repeat(48)}x`),
      'manifests/ordinary.yaml': configMap('ordinary', '2006-01-02T15:04:05Z07:00', '2024-03-05T10:11:12Z'),
    })
    const run = scanInChild(dir, ['manifests', '--policy-dir', 'policies', '--format', 'json', '--no-render'], 60_000)
    expect(run.signal, 'the scan was killed after 60 s').toBeNull()
    const byName = new Map(
      findingsOf(run.stdout)
        .filter((f) => f.policy === 'stamp-in-the-past')
        .map((f) => [f.resource.name, f.status]),
    )
    // A layout that does not fit is an error of that rule; the ordinary stamp parses and passes.
    expect(byName.get('hostile')).toBe('error')
    expect(byName.has('ordinary')).toBe(false)
  })
})
