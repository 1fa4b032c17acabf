/**
 * A copy of a string that shares no memory with the text it was cut from. V8 keeps a
 * substring of 13 characters or more as a slice of its parent, so a name read from a
 * 30 KB manifest and kept in a long-lived cache keeps the whole manifest alive: a cache of
 * strings from thousands of files holds their texts. Keys of such caches are stored detached.
 */
export function detachedString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string
}
