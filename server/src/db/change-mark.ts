import type { Database } from './schema';

/**
 * A table whose rows an evaluation reads, and a column whose max changes on every write to it (an updated_at, or
 * the id of rows that are replaced rather than updated); with the row count it tells every insert, update and
 * delete. Observation sources declare theirs, and the overview cache's fingerprint is made from the declarations.
 */
export interface ChangeMark {
  table: keyof Database & string;
  stamp: string;
  /**
   * For a table of millions of rows whose rows are only ever deleted together with rows of another, small table
   * (progress reports: only by `kesu demo remove`, which deletes its demo_batches row): count that table instead —
   * counting 4.3 million reports took 32 ms of every fingerprint read at province size. Checked by
   * `test/dependency-rules.test.ts` (no other deletion of the table in the code).
   */
  deletedOnlyWith?: keyof Database & string;
}
