/** A container image reference split the way container runtimes read it. */
export interface ImageReference {
  /** Registry host (and port); `docker.io` when the reference names none. */
  registry: string
  /** Whether the reference names its registry, or relies on the runtime's default. */
  explicitRegistry: boolean
  /** Repository path inside the registry (`library/nginx` for Docker Hub official images). */
  repository: string
  tag?: string
  /** `sha256:<hex>` when the reference pins a digest. */
  digest?: string
}

/**
 * Parse an image reference (`[host[:port]/]path[:tag][@digest]`) with Docker's
 * normalisation rule: the first path component is a registry host when it contains a
 * `.` or `:`, is `localhost`, or has upper-case letters; otherwise the image comes from
 * Docker Hub. Returns undefined for an empty reference.
 *
 * @example parseImageReference('nginx:1.27') // { registry: 'docker.io', explicitRegistry: false, repository: 'library/nginx', tag: '1.27' }
 */
export function parseImageReference(image: string): ImageReference | undefined {
  let rest = image.trim()
  if (rest === '') return undefined
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  const slash = rest.indexOf('/')
  const first = slash < 0 ? '' : rest.slice(0, slash)
  const explicitRegistry =
    slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())
  const registry = explicitRegistry ? first : 'docker.io'
  let repository = explicitRegistry ? rest.slice(slash + 1) : rest
  if (!explicitRegistry && !repository.includes('/')) repository = `library/${repository}`
  return {
    registry,
    explicitRegistry,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  }
}

/** The reference in its fully qualified form (`docker.io/library/nginx:1.27`), for prefix comparisons. */
export function qualifiedImageName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`
}
