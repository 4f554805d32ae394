import type { Database } from './schema';

/**
 * A table whose rows an evaluation reads, and a column whose max changes on every write to it (an updated_at, or
 * the id of rows that are replaced rather than updated); with the row count it tells every insert, update and
 * delete. Observation sources declare theirs, and the overview cache's fingerprint is made from the declarations.
 */
export interface ChangeMark {
  table: keyof Database & string;
  stamp: string;
}
