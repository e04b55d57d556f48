const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether PostgreSQL will accept `value` as a uuid; ids from clients are checked before any query. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
