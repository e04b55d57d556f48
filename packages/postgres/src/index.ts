export { migrate, readMigrations, type Migration, type MigrateOptions } from './migrate.js';
export { countedDatabase, poolDatabase, type Database } from './database.js';
