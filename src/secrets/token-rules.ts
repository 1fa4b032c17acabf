import type { Severity } from '../core/index.js'
import { isPlaceholder } from './entropy.js'
import { keywordTrie } from './keyword-trie.js'

/** A detector for credentials with a recognisable format. */
export interface TokenRule {
  id: string
  title: string
  severity: Severity
  /** Global regex; the secret is the `s` named group (else the whole match). */
  pattern: RegExp
  /** Literal strings, one of which every match contains: the regex runs only on texts that hold one. */
  keywords: readonly string[]
  /** Extra check on the secret (and the whole text it was found in). */
  accept?: (secret: string, text: string) => boolean
  /**
   * How a policy message names this shape ("a GitHub token"): set on the rules the
   * field policies (disallow-secrets-in-env-values, -configmaps, -command-args) look for.
   */
  label?: string
  /**
   * What is enough to tell one field value holds this shape, when less than the whole
   * secret is: a private key's BEGIN line (a truncated key, or one whose dashes a copy
   * mangled, is still key material). Default: `pattern` (and `accept`).
   */
  marker?: RegExp
}

const b64decode = (s: string): string => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')
const notPlaceholder = (s: string): boolean => !isPlaceholder(s)

/**
 * Token rules, most specific first: when two rules find overlapping text, the earlier
 * one wins (a GCP service account's private key is reported once, as the service
 * account key). Formats follow each provider's documented token prefixes and lengths.
 */
export const TOKEN_RULES: readonly TokenRule[] = [
  {
    id: 'gcp-service-account-key',
    title: 'Google Cloud service account key',
    severity: 'critical',
    pattern:
      /"private_key"\s*:\s*"(?<s>-----BEGIN PRIVATE KEY-----(?:\\n|[A-Za-z0-9+/=\s])+?-----END PRIVATE KEY-----(?:\\n)?)"/g,
    keywords: ['"private_key"'],
    accept: (_s, text) => /"type"\s*:\s*"service_account"/.test(text),
  },
  {
    id: 'private-key',
    title: 'Private key',
    label: 'a private key',
    marker: /-{3,}BEGIN ([A-Z0-9]+ +)*PRIVATE KEY( BLOCK)?-{3,}/,
    severity: 'critical',
    pattern:
      /(?<s>-----BEGIN (?<kind>(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?)PRIVATE KEY(?: BLOCK)?-----(?:\\[rn]|[\s"',])*(?:[A-Za-z0-9+/=:-]+(?:\\[rn]|[\s"',]|\|)*){1,400}?-----END \k<kind>PRIVATE KEY(?: BLOCK)?-----)/g,
    keywords: ['PRIVATE KEY'],
  },
  {
    id: 'azure-storage-connection-string',
    title: 'Azure Storage account key',
    severity: 'critical',
    pattern: /AccountKey=(?<s>[A-Za-z0-9+/]{86}==)/g,
    keywords: ['AccountKey='],
  },
  {
    id: 'azure-shared-access-key',
    title: 'Azure Service Bus / Event Hubs shared access key',
    severity: 'critical',
    pattern: /SharedAccessKey=(?<s>[A-Za-z0-9+/]{43}=)/g,
    keywords: ['SharedAccessKey='],
  },
  {
    // IAM unique identifiers: a 4-letter type prefix (AKIA long-term key, ASIA STS temporary key,
    // ABIA STS service bearer token, ACCA context-specific credential) and 16 base32 characters.
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    label: 'an AWS access key id',
    severity: 'critical',
    pattern: /(?<![A-Z0-9])(?<s>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])/g,
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    accept: notPlaceholder,
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'critical',
    pattern:
      /(?:aws|AWS)[\w.-]{0,20}(?:secret|SECRET)[\w.-]{0,20}["']?\s*[:=]\s*["']?(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
    keywords: ['aws', 'AWS'],
    accept: notPlaceholder,
  },
  {
    // GitHub's prefixed tokens are 36 characters after the prefix today, and GitHub tells
    // integrators to expect up to 255 in all: the classic prefixes take 36 or more.
    id: 'github-token',
    title: 'GitHub token',
    label: 'a GitHub token',
    severity: 'high',
    pattern:
      /(?<![A-Za-z0-9_])(?<s>gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g,
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  },
  {
    id: 'gitlab-token',
    title: 'GitLab token',
    label: 'a GitLab token',
    severity: 'high',
    pattern: /(?<![A-Za-z0-9_-])(?<s>gl(?:pat|dt|rt|cbt|ptt)-[A-Za-z0-9_-]{20,64})(?![A-Za-z0-9_-])/g,
    keywords: ['glpat-', 'gldt-', 'glrt-', 'glcbt-', 'glptt-'],
  },
  {
    id: 'slack-webhook',
    title: 'Slack incoming webhook URL',
    severity: 'high',
    pattern: /https:\/\/hooks\.slack\.com\/services\/(?<s>T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{24})/g,
    keywords: ['hooks.slack.com'],
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    label: 'a Slack token',
    severity: 'high',
    pattern: /(?<![A-Za-z0-9-])(?<s>xox[abposr]-(?:[0-9]{8,14}-){1,3}[A-Za-z0-9]{24,34})(?![A-Za-z0-9-])/g,
    keywords: ['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-'],
  },
  {
    // Stripe's secret (sk_) and restricted (rk_) keys, live and test mode alike.
    id: 'stripe-key',
    title: 'Stripe secret key',
    label: 'a Stripe secret key',
    severity: 'high',
    pattern: /(?<![A-Za-z0-9_])(?<s>(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,99})(?![A-Za-z0-9_])/g,
    keywords: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
  },
  {
    id: 'twilio-api-key',
    title: 'Twilio API key',
    severity: 'high',
    pattern: /(?<![A-Za-z0-9])(?<s>SK[0-9a-f]{32})(?![A-Za-z0-9])/g,
    keywords: ['SK'],
  },
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    severity: 'high',
    pattern: /(?<![A-Za-z0-9_-])(?<s>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g,
    keywords: ['SG.'],
  },
  {
    id: 'npm-token',
    title: 'npm access token',
    severity: 'high',
    pattern: /(?<![A-Za-z0-9_])(?<s>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
    keywords: ['npm_'],
  },
  {
    id: 'pypi-token',
    title: 'PyPI API token',
    severity: 'high',
    pattern: /(?<![A-Za-z0-9_-])(?<s>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})(?![A-Za-z0-9_-])/g,
    keywords: ['pypi-AgEIcHlwaS5vcmc'],
  },
  {
    id: 'dockerhub-token',
    title: 'Docker Hub access token',
    severity: 'high',
    pattern: /(?<![A-Za-z0-9_-])(?<s>dckr_pat_[A-Za-z0-9_-]{27})(?![A-Za-z0-9_-])/g,
    keywords: ['dckr_pat_'],
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    label: 'a Google API key',
    severity: 'high',
    pattern: /(?<![A-Za-z0-9_-])(?<s>AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g,
    keywords: ['AIza'],
  },
  {
    id: 'docker-registry-auth',
    title: 'Container registry credentials (.dockerconfigjson auth)',
    severity: 'high',
    pattern: /"auth"\s*:\s*"(?<s>[A-Za-z0-9+/]{8,}={0,2})"/g,
    keywords: ['"auth"'],
    accept: (s, text) =>
      /"auths"\s*:/.test(text) &&
      /^[^:\s]+:[^\s]{3,}$/.test(b64decode(s)) &&
      !isPlaceholder(b64decode(s).split(':')[1] ?? ''),
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'medium',
    pattern:
      /(?<![A-Za-z0-9_-])(?<s>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g,
    keywords: ['eyJ'],
    accept: (s) => /"alg"\s*:/.test(b64decode(s.split('.')[0] ?? '')),
  },
  {
    id: 'url-password',
    title: 'Password in a URL or connection string',
    label: 'credentials in a URL',
    severity: 'high',
    pattern: /\b[a-zA-Z][a-zA-Z0-9+.-]{1,24}:\/\/[^\s:/@'"`]{0,64}:(?<s>[^\s@/'"`]{3,128})@[A-Za-z0-9._-]/g,
    keywords: ['://'],
    accept: (s) => !isPlaceholder(s) && !isPlaceholder(decodeURIComponentSafe(s)),
  },
  {
    // An image or host reference with credentials but no scheme (`user:pass@registry.example.com/app`):
    // container runtimes reject it, yet it sits in manifests and in the messages that quote the image.
    id: 'userinfo-password',
    title: 'Password in the user part of an address',
    severity: 'high',
    pattern:
      /(?<![A-Za-z0-9+.:@-])[A-Za-z0-9._~-]{1,64}:(?<s>[^\s@/'"`:]{3,128})@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?::\d{1,5})?\//g,
    keywords: ['@'],
    accept: (s) => !/^\d+$/.test(s) && !isPlaceholder(s) && !isPlaceholder(decodeURIComponentSafe(s)),
  },
  {
    id: 'connection-string-password',
    title: 'Password in a connection string',
    severity: 'high',
    pattern: /(?:^|[;"'\s])(?:Password|PWD|Pwd|password|pwd)\s*=\s*(?<s>[^;'"\s]{4,128})\s*(?:;|$)/gm,
    keywords: ['assword', 'PWD', 'Pwd', 'pwd'],
    accept: (s, text) =>
      !isPlaceholder(s) && /(?:Server|Data Source|Host|User ID|Uid|Database|Initial Catalog)\s*=/i.test(text),
  },
]

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch (error) {
    // Not percent-encoding (a literal '%' in the password): the raw text is the password.
    if (error instanceof URIError) return s
    throw error
  }
}

/**
 * Matches any text that at least one token rule could match: most strings are ruled out by one
 * test. For `test` only (a trie of the keywords, see keyword-trie.ts).
 */
export const ANY_KEYWORD = keywordTrie([...new Set(TOKEN_RULES.flatMap((r) => r.keywords))])
