import type pg from 'pg';

/**
 * FerretDB 1.x (PostgreSQL backend) stores a collection as a table of one `_jsonb` column and an
 * index as a btree over expressions such as `(_jsonb -> 'projectId')`. The only predicate it pushes
 * down to SQL is top-level equality, written as containment, `(_jsonb -> 'projectId') @> '"p1"'`
 * (so that a value also matches an array that holds it). A btree cannot serve `@>`, so PostgreSQL
 * scans the whole table for every query, even by `_id` (FerretDB's internal/backends/postgresql
 * query.go and metadata/registry.go, v1.24.2; `explain` shows `Seq Scan`).
 *
 * A GIN index (`jsonb_path_ops`) on the same expression does serve `@>`. This event trigger gives
 * every index FerretDB creates a GIN companion on its leading key, so equality on an indexed
 * field is answered from an index (one per key, and none for a dotted path, which FerretDB never
 * pushes down); the backfill does the same for indexes created before it was
 * installed. FerretDB never sees these indexes (it keeps its own index list) and they go with the
 * table when a collection is dropped. Applications keep talking only the MongoDB wire protocol.
 */
const INSTALL = `
CREATE OR REPLACE FUNCTION platform_gin_companion(btree oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  target record;
  key text;
BEGIN
  SELECT i.indrelid::regclass AS tbl, c.relname AS name, n.nspname AS schema, t.relname AS tblname
    INTO target
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am a ON a.oid = c.relam
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class t ON t.oid = i.indrelid
   WHERE i.indexrelid = btree AND a.amname = 'btree';
  IF NOT FOUND OR target.tblname LIKE '\\_ferretdb\\_%' THEN
    RETURN;
  END IF;
  key := pg_get_indexdef(btree, 1, true);
  -- Only a top-level key: FerretDB never pushes a dotted path down.
  IF key !~ '^\\(_jsonb -> ''[^'']+''::text\\)$' THEN
    RETURN;
  END IF;
  -- One companion per key: indexes that lead with the same key share it.
  IF EXISTS (SELECT 1 FROM pg_index g JOIN pg_class gc ON gc.oid = g.indexrelid
               JOIN pg_am ga ON ga.oid = gc.relam
              WHERE g.indrelid = target.tbl AND ga.amname = 'gin'
                AND pg_get_indexdef(g.indexrelid, 1, true) = key) THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((%s) jsonb_path_ops)',
    left(target.name, 59) || '_gin', target.tbl, key);
END
$$;

CREATE OR REPLACE FUNCTION platform_gin_companions() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  created record;
BEGIN
  FOR created IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index'
  LOOP
    PERFORM platform_gin_companion(created.objid);
  END LOOP;
END
$$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'platform_gin_companions') THEN
    CREATE EVENT TRIGGER platform_gin_companions ON ddl_command_end
      WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION platform_gin_companions();
  END IF;
END
$$;

SELECT platform_gin_companion(i.indexrelid)
  FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'public');
`;

/** Installs the trigger and backfills; idempotent, run on every `up` against FerretDB's database. */
export async function installFerretdbIndexCompanions(client: pg.Client): Promise<void> {
  await client.query(INSTALL);
}
