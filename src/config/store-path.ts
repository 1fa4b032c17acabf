/**
 * Why a palisade.yaml `store.path` would leave the configuration file's folder, or
 * undefined when it stays inside. A pull request can bring palisade.yaml, and the CI
 * runner writes the findings store wherever it says: an absolute path or a `..` step
 * would let a repository make the runner write outside it. Lexical only (pure); symlinks
 * that lead out are refused where the store is opened (src/app/store-path.ts).
 * `--store` and PALISADE_STORE_URL come from whoever runs the job and stay free.
 */
export function storePathEscape(value: string): string | undefined {
  if (value.startsWith('/') || value.startsWith('\\') || /^[a-z]:/i.test(value) || value.startsWith('~'))
    return 'is an absolute path'
  if (value.split(/[\\/]/).includes('..')) return 'steps out with ".."'
  return undefined
}
