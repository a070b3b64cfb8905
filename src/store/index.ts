/** The store: Kysely over SQLite or PostgreSQL, with migrations. */
export {
  DEFAULT_DB_FILE,
  openReader,
  openStore,
  type Reader,
  type Statements,
  type Store,
  type StoreLocation,
  type StoreOptions,
} from './db.ts';
export { insertRows } from './bulk.ts';
export { commaList } from './comma-list.ts';
export type * from './schema.ts';
