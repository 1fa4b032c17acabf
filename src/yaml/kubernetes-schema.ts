import { NOT_RESOLVED, Schema, defineScalarTag, mapTag, mergeTag, seqTag, strTag } from './js-yaml.js'
import { UNRESOLVED, goBinary, goBool, goFloat, goInt, goNull, goTimestamp } from './go-yaml-scalars.js'

const NUMBER_FIRST_CHARS = ['-', '+', ...'0123456789']

function scalarTag(
  name: string,
  firstChars: readonly string[] | null,
  resolve: (source: string, explicit: boolean) => unknown,
) {
  return defineScalarTag(`tag:yaml.org,2002:${name}`, {
    implicit: firstChars !== null,
    implicitFirstChars: firstChars ?? [],
    resolve: (source, explicit) => {
      const value = resolve(source, explicit)
      return value === UNRESOLVED ? NOT_RESOLVED : value
    },
    identify: () => false,
  })
}

/**
 * Tags that go-yaml v2 does not know (`!foo`, `!!set`, `!!omap`, `tag:example.com,2000:x`)
 * do not change the value: a scalar stays its text, a collection stays a plain list or map.
 * Prefix '' matches every tag name not matched exactly.
 */
const anyScalarTag = defineScalarTag('', { matchByTagPrefix: true, resolve: (source) => source, identify: () => false })
const anySequenceTag: typeof seqTag = { ...seqTag, tagName: '', matchByTagPrefix: true }
const anyMappingTag: typeof mapTag = { ...mapTag, tagName: '', matchByTagPrefix: true }

/**
 * The js-yaml schema that reads YAML as kubectl does (sigs.k8s.io/yaml on go-yaml v2, YAML 1.1
 * rules): see go-yaml-scalars.ts for the scalar rules and README.md for the reasons.
 * Implicit resolvers are tried in this order for a plain scalar: merge, null, bool, int, float.
 */
export const KUBERNETES_SCHEMA = new Schema([
  strTag,
  seqTag,
  mapTag,
  mergeTag,
  scalarTag('null', ['', '~', 'n', 'N'], goNull),
  scalarTag('bool', [...'yYnNtTfFoO'], goBool),
  scalarTag('int', NUMBER_FIRST_CHARS, goInt),
  // An explicit !!float accepts an integer too (go-yaml converts it).
  scalarTag('float', [...NUMBER_FIRST_CHARS, '.'], (source, explicit) => {
    const value = goFloat(source)
    return value === UNRESOLVED && explicit ? goInt(source) : value
  }),
  scalarTag('timestamp', null, goTimestamp),
  scalarTag('binary', null, goBinary),
  anyScalarTag,
  anySequenceTag,
  anyMappingTag,
])
