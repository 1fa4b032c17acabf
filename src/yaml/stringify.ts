import { stringify } from 'yaml'

/** Objects as a multi-document YAML stream (`---` between documents), for generated manifests. */
export function stringifyManifests(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n')
}
