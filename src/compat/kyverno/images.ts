/**
 * Split an image reference as Kyverno's `images` variable does: registry (default
 * docker.io), path, name, tag (default latest when there is no digest), digest.
 */
export function parseImage(image: string): Record<string, string> {
  let rest = image
  let digest = ''
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  let tag = ''
  const slash = rest.lastIndexOf('/')
  const colon = rest.lastIndexOf(':')
  if (colon > slash) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  const first = rest.split('/')[0] as string
  let registry = 'docker.io'
  let path = rest
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first
    path = rest.slice(first.length + 1)
  }
  if (tag === '' && digest === '') tag = 'latest'
  const name = path.slice(path.lastIndexOf('/') + 1)
  const reference = `${registry}/${path}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`
  const out: Record<string, string> = {
    registry,
    path,
    name,
    reference,
    referenceWithTag: `${registry}/${path}:${tag}`,
  }
  if (tag) out.tag = tag
  if (digest) out.digest = digest
  return out
}
