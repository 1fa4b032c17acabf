import YAML from 'yaml'
import { BuiltinError } from '../errors.js'
import { fromJs, toJson, type Value } from '../value.js'
import { fixed, str, type BuiltinTable } from './types.js'

function parseJson(s: string): Value {
  try {
    return fromJs(JSON.parse(s))
  } catch (error) {
    throw new BuiltinError(`json.unmarshal: ${(error as Error).message}`)
  }
}

export const ENCODING: BuiltinTable = {
  'json.marshal': fixed(1, ([v]) => JSON.stringify(toJson(v as Value))),
  'json.unmarshal': fixed(1, (a) => parseJson(str(a, 0))),
  'json.is_valid': fixed(1, (a) => {
    try {
      JSON.parse(str(a, 0))
      return true
    } catch {
      return false
    }
  }),
  'yaml.marshal': fixed(1, ([v]) => YAML.stringify(toJson(v as Value))),
  'yaml.unmarshal': fixed(1, (a) => {
    try {
      return fromJs(YAML.parse(str(a, 0), { maxAliasCount: 100 }))
    } catch (error) {
      throw new BuiltinError(`yaml.unmarshal: ${(error as Error).message}`)
    }
  }),
  'base64.encode': fixed(1, (a) => Buffer.from(str(a, 0)).toString('base64')),
  'base64.decode': fixed(1, (a) => Buffer.from(str(a, 0), 'base64').toString('utf8')),
  'base64url.encode': fixed(1, (a) => Buffer.from(str(a, 0)).toString('base64url')),
  'base64url.decode': fixed(1, (a) => Buffer.from(str(a, 0), 'base64url').toString('utf8')),
  'base64.is_valid': fixed(1, (a) => /^[A-Za-z0-9+/]*={0,2}$/.test(str(a, 0)) && str(a, 0).length % 4 === 0),
  'urlquery.encode': fixed(1, (a) => encodeURIComponent(str(a, 0)).replace(/%20/g, '+')),
  'urlquery.decode': fixed(1, (a) => decodeURIComponent(str(a, 0).replace(/\+/g, ' '))),
}
