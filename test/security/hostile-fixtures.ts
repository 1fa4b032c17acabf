import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../e2e/run-cli.js'

/**
 * A wildcard that a backtracking regular expression takes exponential time to reject:
 * twelve `*?` and a character the allowed values do not contain. Built into a JS RegExp
 * (`^([\s\S]*[\s\S]){12}!$`), rejecting a 30-character value took 1.6 s, a 60-character one
 * far longer than any test would wait.
 */
export const HOSTILE_WILDCARD = `${'*?'.repeat(12)}!`

/** An allowed value long enough for the hostile wildcard to stall a backtracking matcher. */
export const ALLOWED_TIER = 'registry.internal.example.com-platform-base-images-frontend'

/**
 * A benign allow-list policy: a Pod's `tier` annotation must be one of the allowed values.
 * AnyNotIn compares both ways, so the resource's value is used as a wildcard pattern.
 */
export const ALLOW_LIST_POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: allowed-tiers
spec:
  validationFailureAction: Enforce
  background: true
  rules:
    - name: tier-in-allow-list
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "the tier annotation must be one of the allowed tiers"
        deny:
          conditions:
            any:
              - key: "{{ request.object.metadata.annotations.tier || '' }}"
                operator: AnyNotIn
                value: ["${ALLOWED_TIER}", "backend"]
`

/** A Pod whose `tier` annotation is `tier`. */
export function podWithTier(tier: string, name = 'web'): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', annotations: { tier } },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] },
  }
}

/** A temporary folder (removed by the returned function). */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Write `files` (relative path -> text) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path)
    mkdirSync(join(full, '..'), { recursive: true })
    writeFileSync(full, text)
  }
}

/** Run `palisade scan` (the built CLI) in a child process, killed after `timeoutMs`. */
export function scanInChild(dir: string, args: readonly string[], timeoutMs = 60_000) {
  const child = spawnSync(process.execPath, [`${ROOT}bin/palisade.js`, 'scan', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  })
  return { code: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr }
}

/** A finding of the JSON report, as far as these tests read it. */
export interface JsonFinding {
  policy: string
  messageId: string
  status: string
  message: string
  resource: { name: string }
}

/** The findings of a JSON report. */
export function findingsOf(stdout: string): JsonFinding[] {
  return (JSON.parse(stdout) as { findings: JsonFinding[] }).findings
}

/** A Kyverno policy whose foreach is nested three deep: 8 million element evaluations over 200 containers. */
export const NESTED_FOREACH_POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: nested-foreach
spec:
  validationFailureAction: Enforce
  rules:
    - name: no-empty-names
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "container names must not be empty"
        foreach:
          - list: "request.object.spec.containers"
            foreach:
              - list: "request.object.spec.containers"
                foreach:
                  - list: "request.object.spec.containers"
                    deny:
                      conditions:
                        any:
                          - key: "{{ element.name }}"
                            operator: Equals
                            value: ""
`

/** A Pod with `containers` containers. */
export const podWithContainers = (name: string, containers: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop' },
  spec: {
    containers: Array.from({ length: containers }, (_, i) => ({
      name: `c${i}`,
      image: 'registry.example.com/app:1.0.0',
    })),
  },
})
