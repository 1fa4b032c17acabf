import { createRequire } from 'node:module'
import type * as JsYaml from 'js-yaml'

/**
 * js-yaml 5, loaded through its CommonJS build. The ES module build creates its parser and
 * constructor state with object spread (`{ ...DEFAULTS, ...options, input, ... }`), which V8
 * in Node 20 turns into a slow-property object: parseEvents ran 3.3x slower (14 vs 46 MB/s
 * over ../shared/corpus) with the very same code. Every use of js-yaml in this module goes
 * through here, so that tags, schemas and YAMLException all come from one build.
 */
const jsYaml = createRequire(import.meta.url)('js-yaml') as typeof JsYaml

export const {
  CHOMPING_MODE,
  COLLECTION_STYLE,
  EVENT_ID,
  NOT_RESOLVED,
  SCALAR_STYLE,
  Schema,
  YAMLException,
  constructFromEvents,
  defineScalarTag,
  getScalarValue,
  mapTag,
  mergeTag,
  parseEvents,
  seqTag,
  strTag,
} = jsYaml

export type { Event } from 'js-yaml'
