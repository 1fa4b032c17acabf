import { definePolicy, type NativeViolation, type PolicySpec } from '../../engine/index.js'
import { redactedPreview, scanObject, SECRET_RULE_IDS, secretFingerprint, type EntropyThresholds, type ObjectScanOptions } from '../../secrets/index.js'

/** Id of the scan-time credential policy. */
export const CREDENTIAL_POLICY_ID = 'disallow-hardcoded-credentials'

const messageId = (rule: string): string => rule.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/**
 * The secret rules as a native policy, so `palisade scan` reports a credential in a
 * manifest like any other finding (actions, environments, waivers, fingerprints,
 * baselines). It covers credential *values* in every object; the values of a plaintext
 * `kind: Secret` are left to the built-in library's policy on the Secret object itself,
 * so one problem is reported once. Messages carry a redacted preview and the value's
 * fingerprint only.
 *
 * @param options.allow fingerprints from `secrets.allow` in palisade.yaml: not reported
 */
export function credentialPolicy(options: { allow?: ReadonlySet<string>; entropy?: EntropyThresholds } = {}): PolicySpec {
  const messages: Record<string, string> = {}
  for (const [rule, title] of SECRET_RULE_IDS) messages[messageId(rule)] = `${title} {{preview}} (fingerprint {{fingerprint}}).`
  const scanOptions: ObjectScanOptions = { skipSecretObjects: true, ...(options.entropy ? { entropy: options.entropy } : {}) }
  return definePolicy({
    id: CREDENTIAL_POLICY_ID,
    title: 'Credentials must not be written in manifests',
    summary: 'Disallow cloud keys, service tokens, private keys, passwords and high-entropy secrets in manifest values.',
    rationale:
      'A credential committed to Git is readable by everyone with access to the repository and its history, and by every system that mirrors it; rotating it is the only fix.',
    remediation:
      'Remove the value, rotate the credential, and reference it instead: a SealedSecret, an ExternalSecret, a SOPS-encrypted file, or a secretKeyRef. Allow a known false positive by its fingerprint under secrets.allow in palisade.yaml.',
    severity: 'high',
    category: 'secrets',
    sets: ['secrets'],
    controls: [
      { framework: 'cis', control: '5.4.1' },
      { framework: 'nsa', control: 'secrets/encryption' },
      { framework: 'nist', control: 'IA-5(7)' },
      { framework: 'pci', control: '8.6.2' },
      { framework: 'soc2', control: 'CC6.1' },
    ],
    messages,
    match: { kinds: ['*'] },
    check(object): NativeViolation[] {
      const out: NativeViolation[] = []
      for (const hit of scanObject(object, scanOptions)) {
        const fingerprint = secretFingerprint(hit.secret)
        if (options.allow?.has(fingerprint)) continue
        out.push({ messageId: messageId(hit.rule), path: hit.pointer, severity: hit.severity, data: { preview: redactedPreview(hit.secret), fingerprint } })
      }
      return out
    },
  })
}
