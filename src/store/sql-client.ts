/** A row as the database returns it: column name to value. */
export type Row = Record<string, unknown>

/** What a query runs against: the whole database, or one open transaction. */
export interface SqlQueryable {
  /** Run one statement with positional parameters ($1, $2, ...) and return its rows. */
  query<R extends object = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>
  /** Run a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
}

/**
 * The one interface both engines (PGlite, PostgreSQL) implement. Everything the store
 * does is SQL over this; the same migrations and queries run on both.
 */
export interface SqlClient extends SqlQueryable {
  /** `pglite` (embedded folder) or `postgres` (a server). */
  readonly engine: 'pglite' | 'postgres'
  /** Where it is, for messages: the folder, or the URL without its password. */
  readonly location: string
  /**
   * Run `fn` in one transaction: committed when it resolves, rolled back when it
   * throws (the error is rethrown). A writer killed inside leaves nothing behind.
   */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}
