import { isRecord, type KubeObject } from '../../core/index.js'
import { CelTimestamp, evalError, overload, type FunctionTable } from '../../engine/index.js'
import type { CelEnvironment } from '../shared/cel-program.js'
import { resourceOf } from '../shared/match-constraints.js'

/**
 * Kyverno's CEL libraries for its policy types (ValidatingPolicy, MutatingPolicy,
 * GeneratingPolicy), served without a cluster: `resource.Get` / `resource.List` read the
 * objects of the run (a scan's resources and policy folder, a test's resources and context
 * file), `image.GetMetadata` the image data a test's context file gives (Palisade calls no
 * registry), `time.now()` the clock passed in, and `parseServiceAccount` and
 * `jsonpatch.escapeKey` are pure. What cannot be served is an evaluation error naming it,
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
  return env.objects.filter((o) => o.apiVersion === apiVersion && resourceOf(String(o.kind ?? '')) === resource && (namespace === '' || meta(o).namespace === namespace || meta(o).namespace === undefined))
}

const FUNCTIONS: FunctionTable = {
  Get: {
    member: [
      overload(['dyn', 'string', 'string', 'string', 'string'], 'dyn', (r: unknown, apiVersion: string, resource: string, namespace: string, name: string) => {
        const env = library(r, 'resource', 'Get')
        const found = objectsOf(env, apiVersion, resource, namespace).find((o) => meta(o).name === name)
        if (found === undefined) throw evalError(`resource.Get: ${apiVersion} ${resource} ${namespace === '' ? '' : `${namespace}/`}${name} not found among the objects of the run`)
        return found
      }),
    ],
  },
  List: {
    member: [
      overload(['dyn', 'string', 'string', 'string'], 'dyn', (r: unknown, apiVersion: string, resource: string, namespace: string) => {
        const env = library(r, 'resource', 'List')
        return { apiVersion, kind: 'List', metadata: {}, items: objectsOf(env, apiVersion, resource, namespace) }
      }),
    ],
  },
  GetMetadata: {
    member: [
      overload(['dyn', 'string'], 'dyn', (r: unknown, reference: string) => {
        const env = library(r, 'image', 'GetMetadata')
        const data = env.image?.(reference)
        if (data === undefined) throw evalError(`image.GetMetadata: no image data for ${reference} (Palisade calls no registry; a test's context file can give it)`)
        return { config: data.configData ?? {}, manifest: data.manifest ?? {}, digest: data.identifier ?? '', image: reference }
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
  'jsonpatch.escapeKey': { global: [overload(['string'], 'string', (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1'))] },
}

/** The CEL environment of Kyverno's policy types. */
export const KYVERNO_CEL: CelEnvironment = { variables: ['resource', 'image', 'time'], functions: FUNCTIONS, constructions: true }

/** The activation values behind Kyverno's library variables. */
export function kyvernoLibraries(env: KyvernoLibraryEnv): Record<string, unknown> {
  return { resource: new KyvernoLibrary('resource', env), image: new KyvernoLibrary('image', env), time: new KyvernoLibrary('time', env) }
}
