import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify'
import { ToolError, describeError, isInside, type ImageRule } from '../core/index.js'
import type { SignatureTrust } from './cosign.js'

/** The trust of one rule, and an id that changes whenever what it trusts changes (the cache key). */
export interface LoadedTrust {
  trust: SignatureTrust
  id: string
}

/**
 * Read the public keys each rule names (PEM: ECDSA, Ed25519, RSA; paths relative to the
 * configuration's folder and never outside it) and the trusted root for keyless
 * signatures. A key that cannot be read is a configuration error: exit 2, nothing checked.
 */
export async function loadTrust(
  rules: readonly ImageRule[],
  configRoot: string,
  trustedRootFile: string | undefined,
): Promise<Map<ImageRule, LoadedTrust>> {
  const rootReal = await realpath(configRoot)
  const keys = new Map<string, { key: KeyObject; pem: string }>()
  let trustedRoot: { material: TrustMaterial; hash: string } | undefined
  if (trustedRootFile !== undefined) trustedRoot = await readTrustedRoot(trustedRootFile)
  const out = new Map<ImageRule, LoadedTrust>()
  for (const rule of rules) {
    if (!rule.signatures) continue
    const named: { name: string; key: KeyObject }[] = []
    const hash = createHash('sha256')
    for (const name of rule.signatures.keys) {
      let entry = keys.get(name)
      if (!entry) {
        entry = await readKey(rootReal, name)
        keys.set(name, entry)
      }
      named.push({ name, key: entry.key })
      hash.update(`key ${entry.pem}\n`)
    }
    for (const k of rule.signatures.keyless) hash.update(`keyless ${k.issuer} ${k.subject}\n`)
    if (rule.signatures.keyless.length > 0) hash.update(`root ${trustedRoot?.hash ?? 'none'}\n`)
    const trust: SignatureTrust = {
      keys: named,
      keyless: rule.signatures.keyless,
      ...(trustedRoot ? { trustedRoot: trustedRoot.material } : {}),
    }
    out.set(rule, { trust, id: hash.digest('hex') })
  }
  return out
}

async function readKey(rootReal: string, name: string): Promise<{ key: KeyObject; pem: string }> {
  const file = path.resolve(rootReal, name)
  let pem: string
  try {
    const real = await realpath(file)
    if (!isInside(rootReal, real))
      throw new ToolError('USAGE', `signature key ${name} is outside the configuration's folder ${rootReal}`)
    pem = await readFile(real, 'utf8')
  } catch (error) {
    if (error instanceof ToolError) throw error
    throw new ToolError('USAGE', `cannot read the signature key ${name}: ${describeError(error)}`, {
      cause: error,
      hint: 'images[].signatures.keys are PEM public keys, relative to palisade.yaml',
    })
  }
  try {
    return { key: createPublicKey(pem), pem }
  } catch (error) {
    throw new ToolError('USAGE', `signature key ${name} is not a PEM public key: ${describeError(error)}`, {
      cause: error,
    })
  }
}

async function readTrustedRoot(file: string): Promise<{ material: TrustMaterial; hash: string }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ToolError('USAGE', `cannot read the trusted root ${file}: ${describeError(error)}`, { cause: error })
  }
  try {
    const root = TrustedRoot.fromJSON(JSON.parse(text))
    return { material: toTrustMaterial(root), hash: createHash('sha256').update(text).digest('hex') }
  } catch (error) {
    throw new ToolError(
      'USAGE',
      `the trusted root ${file} is not a Sigstore trusted_root.json: ${describeError(error)}`,
      { cause: error },
    )
  }
}
