/** A row as the database returns it: column name to value. */
export type Row = Record<string, unknown>

/** What a query runs against: the whole database, or one open transaction. */
export interface SqlQueryable {
  /** Run one statement with positional parameters ($1, $2, ...) and return its rows. */
  query<R extends object = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>
  /** Run a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
}

/** One statement of a batch, with its positional parameters. */
export interface Statement {
  sql: string
  params?: readonly unknown[]
  /** The embedded engine only: the text a `COPY ... FROM '/dev/blob'` statement reads. */
  blob?: string
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
  /**
   * Run the statements in order in one transaction, as `transaction` does, and return the
   * rows of each. Nothing of the caller runs between them: the embedded engine in a worker
   * thread runs the whole batch there, without waiting on a busy main thread per statement.
   */
  batch(statements: readonly Statement[]): Promise<Row[][]>
  close(): Promise<void>
}

/** Run statements one after another on a connection or transaction; the rows of each. */
export async function runStatements(tx: SqlQueryable, statements: readonly Statement[]): Promise<Row[][]> {
  const results: Row[][] = []
  for (const s of statements) {
    if (s.blob !== undefined) throw new Error('COPY from a blob is for the embedded engine only')
    results.push(await tx.query(s.sql, s.params))
  }
  return results
}
