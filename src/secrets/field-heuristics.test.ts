import { describe, expect, it } from 'vitest'
import { isLiteralCredential, isSecretLikeName, scanText, tokenShapeIn } from './index.js'

// Values built at run time so this file holds no literal credential.
const AWS_KEY_ID = `AKIA${'Q3EGRT5D'}JX7LN2WP`
const SLACK_BOT = `xoxb-${'17653672481'}-19874698323-${'pdFZKVeTuE8s'}k7oOcBrzbqgy`
/** The rule ids `palisade secrets` finds in a text: the same catalogue as tokenShapeIn. */
const gitRules = (text: string): string[] => scanText(text, { assignments: false }).map((h) => h.rule)

describe('secret patterns', () => {
  it.each([
    'DB_PASSWORD',
    'api_key',
    'GITHUB_TOKEN',
    'client-secret',
    'AWS_SECRET_ACCESS_KEY',
    'stripeApiKey',
    'database.password',
  ])('%s is a secret-like name', (name) => {
    expect(isSecretLikeName(name)).toBe(true)
  })

  it.each(['PASSWORD_FILE', 'TOKEN_URL', 'SECRET_NAME', 'LOG_LEVEL', 'TOKEN_TTL', 'oidc.token-endpoint'])(
    '%s is not',
    (name) => {
      expect(isSecretLikeName(name)).toBe(false)
    },
  )

  it.each([
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE', 'a private key'],
    [`key ${AWS_KEY_ID} here`, 'an AWS access key id'],
    [`ghp_${'a'.repeat(36)}`, 'a GitHub token'],
    [SLACK_BOT, 'a Slack token'],
    ['postgres://app:hunter2@db:5432/app', 'credentials in a URL'],
  ])('finds the shape in %j', (value, label) => {
    expect(tokenShapeIn(value)).toBe(label)
  })

  it('leaves ordinary values alone', () => {
    expect(tokenShapeIn('https://example.com/path')).toBeUndefined()
    expect(tokenShapeIn('postgres://db:5432/app')).toBeUndefined()
  })

  it('tells literals from placeholders', () => {
    expect(isLiteralCredential('s3cr3t-Pa55')).toBe(true)
    expect(isLiteralCredential('$(DB_PASSWORD)')).toBe(false)
    expect(isLiteralCredential('${PASSWORD}')).toBe(false)
    expect(isLiteralCredential('/run/secrets/db')).toBe(false)
    expect(isLiteralCredential('changeme')).toBe(false)
    expect(isLiteralCredential('')).toBe(false)
  })
})

describe('provider-specific names and mangled keys', () => {
  it('knows Azure and OCI key variables', () => {
    expect(isSecretLikeName('AZURE_BATCH_KEY')).toBe(true)
    expect(isSecretLikeName('OCI_CLI_KEY_CONTENT')).toBe(true)
  })

  it('finds private keys with shortened dashes', () => {
    expect(tokenShapeIn('---BEGIN OPENSSH PRIVATE KEY---\nabc')).toBe('a private key')
    expect(tokenShapeIn('-----BEGIN EC PRIVATE KEY-----')).toBe('a private key')
    expect(tokenShapeIn('-----BEGIN PUBLIC KEY-----')).toBeUndefined()
  })
})

// Until the catalogues were one, the field policies (disallow-secrets-in-*) and `palisade
// secrets` had a regex each for these shapes and disagreed. Each test pins the resolution,
// which follows the provider's documented format, on both sides.
describe('one catalogue: where the two used to disagree', () => {
  it('AWS key ids: AKIA, ASIA, ABIA and ACCA prefixes, 16 base32 characters (IAM unique identifiers)', () => {
    for (const prefix of ['AKIA', 'ASIA', 'ABIA', 'ACCA']) {
      expect(tokenShapeIn(`${prefix}Q3EGRT5DJX7LN2WP`), prefix).toBe('an AWS access key id')
      expect(gitRules(`${prefix}Q3EGRT5DJX7LN2WP`), prefix).toEqual(['aws-access-key-id'])
    }
    // 0, 1, 8 and 9 are not in the base32 alphabet: not a key id (the field policies said it was).
    expect(tokenShapeIn('AKIA0123456789ABCDEF')).toBeUndefined()
    expect(gitRules('AKIA0123456789ABCDEF')).toEqual([])
  })

  it("AWS's documentation example key is a placeholder on both sides", () => {
    expect(tokenShapeIn('AKIAIOSFODNN7EXAMPLE')).toBeUndefined()
    expect(gitRules('AKIAIOSFODNN7EXAMPLE')).toEqual([])
  })

  it('GitHub classic tokens: 36 characters after the prefix, or more (GitHub: up to 255 in all)', () => {
    const longer = `ghp_${'Zq8Lm3Vx9Tb2Nc7Kd4Rf6Hj1Wp5Ys0Ae8Gu3'}Xy7Q`
    expect(tokenShapeIn(longer)).toBe('a GitHub token')
    expect(gitRules(longer)).toEqual(['github-token'])
  })

  it('GitHub fine-grained tokens: github_pat_, 22 characters, _, 59 characters', () => {
    const token = `github_pat_${'A1b2C3d4E5f6G7h8I9j0K1'}_${'x'.repeat(30)}${'Y9z8W7v6U5t4S3r2Q1p0O9n8M7l6K'}`
    expect(tokenShapeIn(token)).toBe('a GitHub token')
    expect(gitRules(token)).toEqual(['github-token'])
    // Without the inner separator it is not GitHub's format (the field policies took any 60+ characters).
    expect(tokenShapeIn(`github_pat_${'A1b2C3d4E5f6G7h8I9j0'.repeat(4)}`)).toBeUndefined()
  })

  it('GitLab tokens: every documented prefix (deploy, runner, CI job, trigger), not only glpat-', () => {
    const token = `gldt-${'Xy7pQ2rS9tU4vW1zA8bC'}`
    expect(tokenShapeIn(token)).toBe('a GitLab token')
    expect(gitRules(token)).toEqual(['gitlab-token'])
  })

  it("Slack tokens: xox?- and digit groups, then 24+ characters, as in Slack's examples; a short xoxb- string is not one", () => {
    expect(gitRules(SLACK_BOT)).toEqual(['slack-token'])
    expect(tokenShapeIn('xoxb-1234567890-abcdef')).toBeUndefined()
    expect(gitRules('xoxb-1234567890-abcdef')).toEqual([])
  })

  it('Stripe keys: secret and restricted keys of test mode too (sk_test_, rk_test_), not only live ones', () => {
    const key = `sk_test_${'4eC39HqLyjWDarjtT1zdp7dc'}`
    expect(tokenShapeIn(key)).toBe('a Stripe secret key')
    expect(gitRules(key)).toEqual(['stripe-key'])
  })

  it('credentials in a URL: an empty user name is still userinfo (RFC 3986), a ${VAR} password is a reference', () => {
    expect(tokenShapeIn('redis://:Xy7pQ2rS9t@cache:6379')).toBe('credentials in a URL')
    expect(gitRules('redis://:Xy7pQ2rS9t@cache:6379')).toEqual(['url-password'])
    expect(tokenShapeIn('postgres://app:${DB_PASSWORD}@db:5432/app')).toBeUndefined()
    expect(gitRules('postgres://app:${DB_PASSWORD}@db:5432/app')).toEqual([])
  })
})
