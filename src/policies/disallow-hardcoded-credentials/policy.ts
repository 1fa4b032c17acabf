import { definePolicy, type NativeViolation } from '../../engine/index.js'
import {
  DEFAULT_ENTROPY,
  redactedPreview,
  scanObject,
  SECRET_RULE_IDS,
  secretFingerprint,
  type ObjectScanOptions,
} from '../../secrets/index.js'

const messageId = (rule: string): string => rule.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())

const messages: Record<string, string> = {}
for (const [rule, title] of SECRET_RULE_IDS)
  messages[messageId(rule)] = `${title} {{preview}} (fingerprint {{fingerprint}}).`

interface Settings {
  allow: ReadonlySet<string>
  scan: ObjectScanOptions
}

// The parameters are fixed per compiled policy: read them once, not once per object.
const settings = new WeakMap<object, Settings>()
function settingsOf(params: Readonly<Record<string, unknown>>): Settings {
  let s = settings.get(params)
  if (s === undefined) {
    const allow = Array.isArray(params.allow) ? params.allow.filter((f): f is string => typeof f === 'string') : []
    const number = (v: unknown, fallback: number): number =>
      typeof v === 'number' && Number.isFinite(v) ? v : fallback
    const entropy = {
      minLength: number(params.entropyMinLength, DEFAULT_ENTROPY.minLength),
      bitsPerChar: number(params.entropyBitsPerChar, DEFAULT_ENTROPY.bitsPerChar),
    }
    s = { allow: new Set(allow), scan: { skipSecretObjects: true, entropy } }
    settings.set(params, s)
  }
  return s
}

/**
 * The secret catalogue (src/secrets) as a policy, so `palisade scan` reports a credential
 * in a manifest like any other finding (actions, environments, waivers, fingerprints,
 * baselines). It covers credential *values* in every object; the values of a plaintext
 * `kind: Secret` are left to disallow-plaintext-secrets on the Secret object itself, so
 * one problem is reported once. Messages carry a redacted preview and the value's
 * fingerprint only. The CLI sets the parameters' defaults from palisade.yaml's `secrets:`.
 */
export default definePolicy({
  id: 'disallow-hardcoded-credentials',
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
  params: {
    allow: {
      description:
        'Fingerprints of known false positives, as the report prints them; not reported. Defaults to the fingerprints under secrets.allow in palisade.yaml.',
      default: [],
    },
    entropyMinLength: {
      description:
        'Shortest value the high-entropy rule considers. Defaults to secrets.entropy.minLength in palisade.yaml, else 24.',
      default: DEFAULT_ENTROPY.minLength,
    },
    entropyBitsPerChar: {
      description:
        'Shannon entropy in bits per character over which a value counts as random. Defaults to secrets.entropy.bitsPerChar in palisade.yaml, else 4.2.',
      default: DEFAULT_ENTROPY.bitsPerChar,
    },
  },
  messages,
  match: { kinds: ['*'] },
  check(object, { params }): NativeViolation[] {
    const { allow, scan } = settingsOf(params)
    const out: NativeViolation[] = []
    for (const hit of scanObject(object, scan)) {
      const fingerprint = secretFingerprint(hit.secret)
      if (allow.has(fingerprint)) continue
      out.push({
        messageId: messageId(hit.rule),
        path: hit.pointer,
        severity: hit.severity,
        data: { preview: redactedPreview(hit.secret), fingerprint },
      })
    }
    return out
  },
})
