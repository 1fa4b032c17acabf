import { describe, expect, it } from 'vitest'
import { isLiteralCredential, isSecretLikeName, tokenShapeIn } from './index.js'

describe('secret patterns', () => {
  it.each(['DB_PASSWORD', 'api_key', 'GITHUB_TOKEN', 'client-secret', 'AWS_SECRET_ACCESS_KEY', 'stripeApiKey', 'database.password'])('%s is a secret-like name', (name) => {
    expect(isSecretLikeName(name)).toBe(true)
  })

  it.each(['PASSWORD_FILE', 'TOKEN_URL', 'SECRET_NAME', 'LOG_LEVEL', 'TOKEN_TTL', 'oidc.token-endpoint'])('%s is not', (name) => {
    expect(isSecretLikeName(name)).toBe(false)
  })

  it.each([
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE', 'a private key'],
    ['key AKIAIOSFODNN7EXAMPLE here', 'an AWS access key id'],
    [`ghp_${'a'.repeat(36)}`, 'a GitHub token'],
    ['xoxb-1234567890-abcdef', 'a Slack token'],
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
