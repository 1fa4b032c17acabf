/**
 * The findings store: one schema (SQL migrations) on two engines, embedded PGlite in a
 * folder and PostgreSQL through `pg`. Runs, findings and their lifecycle, waivers,
 * commits' signatures, deployments and admission decisions; the statistics over them.
 * docs/store.md describes the tables.
 */
export { openStore, storeOver, resolveStoreLocation, DEFAULT_STORE_DIR, MAINTAIN_EVERY_RUNS } from './open-store.js'
export type { Store, StoreLocation } from './open-store.js'
export type { SqlClient, SqlQueryable, Row } from './sql-client.js'
export { MIGRATIONS, migrate } from './migrations.js'
export type { Migration } from './migrations.js'
export type {
  RunMeta,
  RunRecord,
  RunOutcome,
  FindingRecord,
  PolicyActionRecord,
  CommitRecord,
  DeploymentRecord,
  AdmissionDecision,
} from './records.js'
export { computeStats, openFindings, signedStats, admissionStats, waiverStats, rolloutStats } from './stats.js'
export type { StatsOptions } from './stats.js'
export type { Stats, RolloutRow, DeliveryRow, WaiverRow, OpenFindingRow, FindingFilter } from './stats-types.js'
export { withoutPassword } from './postgres-client.js'
export { runFromResult } from './from-result.js'
export { deploymentsFrom } from './deployments.js'
export { formatStatsText } from './stats-text.js'
export { recentCommits, signers, recentDenials, activeWaivers, findingFacets } from './lists.js'
export type { CommitRow, DenialRow } from './lists.js'
export type { HistoryCommit } from './deployments.js'
export type { RunContext } from './from-result.js'
