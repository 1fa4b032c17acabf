import { ToolError } from '../core/index.js'
import { openRepository, toTreePath } from '../git/index.js'
import type { FormatOptions } from '../report/index.js'
import type { AppIo } from './io.js'

/**
 * Where Markdown links point: GitHub blob URLs at the scanned commit when the CI
 * environment says so (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA), else relative.
 */
export async function markdownLinks(io: AppIo): Promise<FormatOptions['links'] | undefined> {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = io.env
  if (!server || !repository || !sha) return undefined
  let prefix = ''
  try {
    const repo = await openRepository(io.cwd)
    prefix = toTreePath(repo, '.') ?? ''
  } catch (error) {
    if (!(error instanceof ToolError && error.code === 'GIT_FAILED')) throw error
    // Not a clone (a scan of an exported folder): links are relative to the repository root.
  }
  return {
    blobBase: `${server.replace(/\/+$/, '')}/${repository}/blob/${sha}/`,
    pathPrefix: prefix === '' ? '' : `${prefix}/`,
  }
}
