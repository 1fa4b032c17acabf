import { isRecord, type KubeObject } from '../../core/index.js'
import { CelTimestamp, evalError, overload, type FunctionTable } from '../../engine/index.js'
import type { CelEnvironment } from '../shared/cel-program.js'
import { resourceOf } from '../shared/match-constraints.js'

/**
 * Kyverno's CEL libraries for its policy types (ValidatingPolicy, MutatingPolicy,
 * GeneratingPolicy), served without a cluster: `resource.Get` / `resource.List` read the
 * objects of the run (a scan's resources and policy folder, a test's resources and context
 * file), `image.GetMetadata` the image data a test's context file gives (Palisade calls no
 * registry), `time.now()` the clock passed in, and `parseServiceAccount`,
 * `jsonpatch.escapeKey` and `image(ref)` / `isImage(ref)` (registry, repository, tag,
 * digest, identifier, containsDigest, as go-containerregistry parses references) are pure. What cannot be served is an evaluation error naming it,
 * never a guess. `http` and `globalContext` are not declared (a policy using them does not
 * compile: CEL_COMPILE).
 */

/** What the libraries read. */
export interface KyvernoLibraryEnv {
  objects: readonly KubeObject[]
  image?: (reference: string) => Record<string, unknown> | undefined
  now: () => Date
}

/** The value behind `resource`, `image` and `time` in an activation: member functions are called on it. */
class KyvernoLibrary {
  constructor(
    readonly name: string,
    readonly env: KyvernoLibraryEnv,
  ) {}
}

const meta = (o: KubeObject): Record<string, unknown> => (isRecord(o.metadata) ? o.metadata : {})

function library(receiver: unknown, name: string, method: string): KyvernoLibraryEnv {
  if (receiver instanceof KyvernoLibrary && receiver.name === name) return receiver.env
  throw evalError(`${method}() is a function of Kyverno's ${name} library`)
}

function objectsOf(env: KyvernoLibraryEnv, apiVersion: string, resource: string, namespace: string): KubeObject[] {
  return env.objects.filter(
    (o) =>
      o.apiVersion === apiVersion &&
      resourceOf(String(o.kind ?? '')) === resource &&
      (namespace === '' || meta(o).namespace === namespace || meta(o).namespace === undefined),
  )
}

/** An image reference parsed as go-containerregistry's name.ParseReference does (Kyverno's `image()`). */
class ImageRef {
  constructor(
    readonly registry: string,
    readonly repository: string,
    readonly tag: string,
    readonly digest: string,
  ) {}
}

const DOCKER_HUB = 'index.docker.io'

function parseImageRef(text: string): ImageRef | undefined {
  const at = text.indexOf('@')
  const digest = at < 0 ? '' : text.slice(at + 1)
  let rest = at < 0 ? text : text.slice(0, at)
  if (digest !== '' && !/^sha256:[a-f0-9]{64}$/.test(digest)) return undefined
  const slash = rest.lastIndexOf('/')
  const colon = rest.lastIndexOf(':')
  let tag = ''
  if (colon > slash) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return undefined
  }
  const first = rest.split('/')[0] as string
  const hasRegistry = rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
  let registry = hasRegistry ? first : DOCKER_HUB
  let repository = hasRegistry ? rest.slice(first.length + 1) : rest
  if (registry === 'docker.io') registry = DOCKER_HUB
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository))
    return undefined
  return new ImageRef(registry, repository, digest === '' && tag === '' ? 'latest' : tag, digest)
}

function imageMethod(name: string, get: (r: ImageRef) => string | boolean): FunctionTable {
  return {
    [name]: {
      member: [
        overload(['dyn'], typeof get(new ImageRef('', '', '', '')) === 'boolean' ? 'bool' : 'string', (r: unknown) => {
          if (!(r instanceof ImageRef)) throw evalError(`${name}() is a function of Kyverno's image values`)
          return get(r)
        }),
      ],
    },
  }
}

const FUNCTIONS: FunctionTable = {
  image: {
    global: [
      overload(['string'], 'dyn', (text: string) => {
        const r = parseImageRef(text)
        if (r === undefined) throw evalError(`image: "${text}" is not a valid image reference`)
        return r
      }),
    ],
  },
  isImage: { global: [overload(['string'], 'bool', (text: string) => parseImageRef(text) !== undefined)] },
  ...imageMethod('registry', (r) => r.registry),
  ...imageMethod('repository', (r) => r.repository),
  ...imageMethod('tag', (r) => r.tag),
  ...imageMethod('digest', (r) => r.digest),
  ...imageMethod('identifier', (r) => (r.digest !== '' ? r.digest : r.tag)),
  ...imageMethod('containsDigest', (r) => r.digest !== ''),
  Get: {
    member: [
      overload(
        ['dyn', 'string', 'string', 'string', 'string'],
        'dyn',
        (r: unknown, apiVersion: string, resource: string, namespace: string, name: string) => {
          const env = library(r, 'resource', 'Get')
          const found = objectsOf(env, apiVersion, resource, namespace).find((o) => meta(o).name === name)
          if (found === undefined)
            throw evalError(
              `resource.Get: ${apiVersion} ${resource} ${namespace === '' ? '' : `${namespace}/`}${name} not found among the objects of the run`,
            )
          return found
        },
      ),
    ],
  },
  List: {
    member: [
      overload(
        ['dyn', 'string', 'string', 'string'],
        'dyn',
        (r: unknown, apiVersion: string, resource: string, namespace: string) => {
          const env = library(r, 'resource', 'List')
          return { apiVersion, kind: 'List', metadata: {}, items: objectsOf(env, apiVersion, resource, namespace) }
        },
      ),
    ],
  },
  GetMetadata: {
    member: [
      overload(['dyn', 'string'], 'dyn', (r: unknown, reference: string) => {
        const env = library(r, 'image', 'GetMetadata')
        const data = env.image?.(reference)
        if (data === undefined)
          throw evalError(
            `image.GetMetadata: no image data for ${reference} (Palisade calls no registry; a test's context file can give it)`,
          )
        return {
          config: data.configData ?? {},
          manifest: data.manifest ?? {},
          digest: data.identifier ?? '',
          image: reference,
        }
      }),
    ],
  },
  now: {
    member: [
      overload(['dyn'], 'google.protobuf.Timestamp', (r: unknown) => {
        const env = library(r, 'time', 'now')
        return CelTimestamp.of(BigInt(env.now().getTime()) * 1_000_000n)
      }),
    ],
  },
  parseServiceAccount: {
    global: [
      overload(['string'], 'dyn', (username: string) => {
        const parts = username.split(':')
        const ok = parts.length === 4 && parts[0] === 'system' && parts[1] === 'serviceaccount'
        return { Namespace: ok ? parts[2] : '', Name: ok ? parts[3] : '' }
      }),
    ],
  },
  'jsonpatch.escapeKey': {
    global: [overload(['string'], 'string', (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1'))],
  },
}

/** The CEL environment of Kyverno's policy types. */
export const KYVERNO_CEL: CelEnvironment = {
  variables: ['resource', 'image', 'time'],
  functions: FUNCTIONS,
  constructions: true,
}

/** The activation values behind Kyverno's library variables. */
export function kyvernoLibraries(env: KyvernoLibraryEnv): Record<string, unknown> {
  return {
    resource: new KyvernoLibrary('resource', env),
    image: new KyvernoLibrary('image', env),
    time: new KyvernoLibrary('time', env),
  }
}
