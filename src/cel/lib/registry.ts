import { mergeTables, type MergedDecl } from '../overloads.js'
import { AUTHZ_FUNCTIONS } from './authz.js'
import { CONVERSION_FUNCTIONS } from './conversions.js'
import { CORE_FUNCTIONS } from './core.js'
import { IP_FUNCTIONS } from './ip.js'
import { LIST_FUNCTIONS } from './lists.js'
import { NAMED_FORMAT_FUNCTIONS } from './named-formats.js'
import { OPTIONAL_FUNCTIONS } from './optional.js'
import { QUANTITY_FUNCTIONS } from './quantity.js'
import { REGEX_FUNCTIONS } from './regex.js'
import { SEMVER_FUNCTIONS } from './semver.js'
import { FORMAT_FUNCTIONS } from './string-format.js'
import { STRING_FUNCTIONS } from './strings.js'
import { TIME_FUNCTIONS } from './time.js'
import { URL_FUNCTIONS } from './url.js'

/** Every function Palisade's CEL knows: the standard library plus the Kubernetes libraries. */
export const FUNCTIONS: ReadonlyMap<string, MergedDecl> = mergeTables([
  CORE_FUNCTIONS,
  CONVERSION_FUNCTIONS,
  STRING_FUNCTIONS,
  FORMAT_FUNCTIONS,
  REGEX_FUNCTIONS,
  LIST_FUNCTIONS,
  TIME_FUNCTIONS,
  OPTIONAL_FUNCTIONS,
  QUANTITY_FUNCTIONS,
  URL_FUNCTIONS,
  IP_FUNCTIONS,
  SEMVER_FUNCTIONS,
  NAMED_FORMAT_FUNCTIONS,
  AUTHZ_FUNCTIONS,
])

/** Type names usable as identifiers (`type(x) == string`, `net.IP`). */
export const TYPE_NAMES: ReadonlySet<string> = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'list',
  'map',
  'null_type',
  'type',
  'dyn',
  'optional_type',
  'google.protobuf.Duration',
  'google.protobuf.Timestamp',
  'net.IP',
  'net.CIDR',
  'kubernetes.Quantity',
  'kubernetes.URL',
  'kubernetes.Semver',
  'kubernetes.NamedFormat',
])
