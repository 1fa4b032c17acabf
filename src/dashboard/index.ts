/**
 * `palisade dashboard`: the findings store's figures as web pages (overview, findings,
 * rollout, admission, commits, waivers), served read-only from the package.
 */
export { startDashboard } from './server.js'
export type { Dashboard, DashboardOptions } from './server.js'
export { sourceUrl, findingFilter } from './pages.js'
