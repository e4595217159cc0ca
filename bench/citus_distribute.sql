-- The distribution of Trygg's schema over Citus that bench/citus.py measures: the first step
-- of the plan in docs/decisions/0037, on a freshly migrated (empty) coordinator database.
\set ON_ERROR_STOP on

-- 1. The events and their daily rollup are sharded by municipality, in the same shards
--    (co-located), so one municipality's situation page, map and import touch one shard.
--    Citus needs the distribution column in every primary key and unique constraint, and
--    allows foreign keys into a distributed table only from co-located tables that carry the
--    column too: until every table that points at an event carries its municipality (the
--    plan's second step), those keys are dropped here and kept by the application alone.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
           WHERE contype = 'f'
             AND (conrelid IN ('events_event'::regclass, 'events_dailycount'::regclass)
                  OR confrelid IN ('events_event'::regclass, 'events_dailycount'::regclass))
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
END $$;
-- The migrations already make municipality_id NOT NULL (county-level police events are on
-- their county's own row) and put it in the unique key event_source_external_id
-- (source, external_id, municipality_id); only the primary key needs it added here.
ALTER TABLE events_event DROP CONSTRAINT events_event_pkey;
ALTER TABLE events_event ADD PRIMARY KEY (municipality_id, id);
ALTER TABLE events_dailycount DROP CONSTRAINT events_dailycount_pkey;
ALTER TABLE events_dailycount ADD PRIMARY KEY (municipality_id, id);
SELECT create_distributed_table('events_event', 'municipality_id', shard_count := 32);
SELECT create_distributed_table('events_dailycount', 'municipality_id',
                                colocate_with := 'events_event');

-- 2. Small tables every shard's queries join with are reference tables: a copy on every node.
SELECT create_reference_table('places_municipality');
SELECT create_reference_table('events_category');
SELECT create_reference_table('organisations_organisation');
SELECT create_reference_table('places_area');
SELECT create_reference_table('places_place');

-- 3. Everything else stays on the coordinator as it is (users, memberships, the audit log,
--    jobs, and the apps' own tables, which are small): Citus joins them with the shards.
