import type { Config } from '../config';
import type { Db } from '../db/database';

/** What route plugins receive: no globals. */
export interface AppDeps {
  config: Config;
  db: Db;
}
