"""The triggers that keep the reports' kept figures (the report_unit table, reports.units)
right: a row of call, leg or ticket inserted, changed or deleted deletes the units its
moment falls in (a call's arrival, a leg's call's arrival, a ticket's making): its hour,
its day and its month. The next report counts them again.

A unit is kept only once it is over, so a row from after the latest end of any kept unit
(an arriving call and its first leg, almost every status callback) falls in none: the
triggers read that end first, one step down the index report_unit_ends_at, and go no
further. Only a row from before it (a late change to an older call) looks for its units,
each level's by one look-up in the index by level and start (report_unit_level_starts_at)
within the longest such unit: an hour, 25 hours (the day the clocks go back), 32 days. The
unit holding the moment is the one that starts at or before it and ends after it; the
reach only bounds the look-up, and reaches as far as it goes, included: SQLite's datetime()
rounds to the millisecond, so 25 hours back from 23:59:59.9996 on the 25-hour day (or an
hour back from the last half millisecond of an hour) is the very start of its unit.

The SQL is fixed text, written out as it runs, with nothing formatted into it. On SQLite,
where a trigger cannot call a function, a row's trigger inserts its moment into the view
report_unit_changed, which holds nothing and whose own trigger deletes the units; on
PostgreSQL the row's trigger calls the function report_unit_forget.

Not a numbered schema step: the upgrade (dutyline.migrations.upgrade) makes the triggers
anew once its steps have run, every time, because SQLite drops a table's triggers when a
step rebuilds the table. The reports (reports.units.ready) count everything from the call
log unless the triggers on call, leg and ticket are in place.
"""

from peewee import PostgresqlDatabase

# the triggers a row's change fires (the view's own, report_unit_forget, is made with them)
SQLITE_TRIGGERS = ("report_unit_call_insert", "report_unit_call_update", "report_unit_call_delete",
                   "report_unit_leg_insert", "report_unit_leg_update", "report_unit_leg_delete",
                   "report_unit_ticket_insert", "report_unit_ticket_update",
                   "report_unit_ticket_delete")
SQLITE = (
    'CREATE VIEW IF NOT EXISTS "report_unit_changed" AS SELECT NULL AS "at" WHERE 0',
    'DROP TRIGGER IF EXISTS "report_unit_forget"',
    """CREATE TRIGGER "report_unit_forget" INSTEAD OF INSERT ON "report_unit_changed"
BEGIN
  DELETE FROM "report_unit" WHERE "level" = 'hour'
    AND "starts_at" >= datetime(NEW."at", '-1 hours') AND "starts_at" <= NEW."at"
    AND "ends_at" > NEW."at";
  DELETE FROM "report_unit" WHERE "level" = 'day'
    AND "starts_at" >= datetime(NEW."at", '-25 hours') AND "starts_at" <= NEW."at"
    AND "ends_at" > NEW."at";
  DELETE FROM "report_unit" WHERE "level" = 'month'
    AND "starts_at" >= datetime(NEW."at", '-32 days') AND "starts_at" <= NEW."at"
    AND "ends_at" > NEW."at";
END""",
    'DROP TRIGGER IF EXISTS "report_unit_call_insert"',
    """CREATE TRIGGER "report_unit_call_insert" AFTER INSERT ON "call"
WHEN NEW."started_at" < (SELECT max("ends_at") FROM "report_unit")
BEGIN
  INSERT INTO "report_unit_changed" ("at") VALUES (NEW."started_at");
END""",
    'DROP TRIGGER IF EXISTS "report_unit_call_update"',
    """CREATE TRIGGER "report_unit_call_update" AFTER UPDATE ON "call"
WHEN OLD."started_at" < (SELECT max("ends_at") FROM "report_unit")
  OR NEW."started_at" < (SELECT max("ends_at") FROM "report_unit")
BEGIN
  INSERT INTO "report_unit_changed" ("at") VALUES (OLD."started_at"), (NEW."started_at");
END""",
    'DROP TRIGGER IF EXISTS "report_unit_call_delete"',
    """CREATE TRIGGER "report_unit_call_delete" AFTER DELETE ON "call"
WHEN OLD."started_at" < (SELECT max("ends_at") FROM "report_unit")
BEGIN
  INSERT INTO "report_unit_changed" ("at") VALUES (OLD."started_at");
END""",
    'DROP TRIGGER IF EXISTS "report_unit_leg_insert"',
    """CREATE TRIGGER "report_unit_leg_insert" AFTER INSERT ON "leg"
WHEN (SELECT "started_at" FROM "call" WHERE "id" = NEW."call_id")
  < (SELECT max("ends_at") FROM "report_unit")
BEGIN
  INSERT INTO "report_unit_changed" ("at")
    SELECT "started_at" FROM "call" WHERE "id" = NEW."call_id";
END""",
    'DROP TRIGGER IF EXISTS "report_unit_leg_update"',
    """CREATE TRIGGER "report_unit_leg_update" AFTER UPDATE ON "leg"
WHEN (SELECT "started_at" FROM "call" WHERE "id" = OLD."call_id")
  < (SELECT max("ends_at") FROM "report_unit")
  OR (SELECT "started_at" FROM "call" WHERE "id" = NEW."call_id")
  < (SELECT max("ends_at") FROM "report_unit")
BEGIN
  INSERT INTO "report_unit_changed" ("at")
    SELECT "started_at" FROM "call" WHERE "id" IN (OLD."call_id", NEW."call_id");
END""",
    'DROP TRIGGER IF EXISTS "report_unit_leg_delete"',
    """CREATE TRIGGER "report_unit_leg_delete" AFTER DELETE ON "leg"
WHEN (SELECT "started_at" FROM "call" WHERE "id" = OLD."call_id")
  < (SELECT max("ends_at") FROM "report_unit")
BEGIN
  INSERT INTO "report_unit_changed" ("at")
    SELECT "started_at" FROM "call" WHERE "id" = OLD."call_id";
END""",
    'DROP TRIGGER IF EXISTS "report_unit_ticket_insert"',
    """CREATE TRIGGER "report_unit_ticket_insert" AFTER INSERT ON "ticket"
WHEN NEW."created_at" < (SELECT max("ends_at") FROM "report_unit")
BEGIN
  INSERT INTO "report_unit_changed" ("at") VALUES (NEW."created_at");
END""",
    'DROP TRIGGER IF EXISTS "report_unit_ticket_update"',
    """CREATE TRIGGER "report_unit_ticket_update" AFTER UPDATE ON "ticket"
WHEN OLD."created_at" < (SELECT max("ends_at") FROM "report_unit")
  OR NEW."created_at" < (SELECT max("ends_at") FROM "report_unit")
BEGIN
  INSERT INTO "report_unit_changed" ("at") VALUES (OLD."created_at"), (NEW."created_at");
END""",
    'DROP TRIGGER IF EXISTS "report_unit_ticket_delete"',
    """CREATE TRIGGER "report_unit_ticket_delete" AFTER DELETE ON "ticket"
WHEN OLD."created_at" < (SELECT max("ends_at") FROM "report_unit")
BEGIN
  INSERT INTO "report_unit_changed" ("at") VALUES (OLD."created_at");
END""",
)

POSTGRES_TRIGGERS = ("report_unit_call", "report_unit_leg", "report_unit_ticket")
POSTGRES = (
    # PL/pgSQL, not SQL: a SQL function's statements are planned anew at every call from a
    # trigger, PL/pgSQL keeps their plans for the session (about 0.3 ms less per arrival)
    """CREATE OR REPLACE FUNCTION report_unit_forget(at timestamp) RETURNS void AS $$
BEGIN
  DELETE FROM "report_unit" WHERE "level" = 'hour'
    AND "starts_at" >= at - INTERVAL '1 hours' AND "starts_at" <= at AND "ends_at" > at;
  DELETE FROM "report_unit" WHERE "level" = 'day'
    AND "starts_at" >= at - INTERVAL '25 hours' AND "starts_at" <= at AND "ends_at" > at;
  DELETE FROM "report_unit" WHERE "level" = 'month'
    AND "starts_at" >= at - INTERVAL '32 days' AND "starts_at" <= at AND "ends_at" > at;
END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION report_unit_forget_call() RETURNS trigger AS $$
DECLARE
  kept_until timestamp := (SELECT max("ends_at") FROM "report_unit");
BEGIN
  IF kept_until IS NULL THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN
    IF OLD."started_at" < kept_until THEN PERFORM report_unit_forget(OLD."started_at"); END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW."started_at" < kept_until THEN PERFORM report_unit_forget(NEW."started_at"); END IF;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION report_unit_forget_leg() RETURNS trigger AS $$
DECLARE
  kept_until timestamp := (SELECT max("ends_at") FROM "report_unit");
  at timestamp;
BEGIN
  IF kept_until IS NULL THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN
    at := (SELECT "started_at" FROM "call" WHERE "id" = OLD."call_id");
    IF at < kept_until THEN PERFORM report_unit_forget(at); END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    at := (SELECT "started_at" FROM "call" WHERE "id" = NEW."call_id");
    IF at < kept_until THEN PERFORM report_unit_forget(at); END IF;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION report_unit_forget_ticket() RETURNS trigger AS $$
DECLARE
  kept_until timestamp := (SELECT max("ends_at") FROM "report_unit");
BEGIN
  IF kept_until IS NULL THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN
    IF OLD."created_at" < kept_until THEN PERFORM report_unit_forget(OLD."created_at"); END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW."created_at" < kept_until THEN PERFORM report_unit_forget(NEW."created_at"); END IF;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    'DROP TRIGGER IF EXISTS report_unit_call ON "call"',
    """CREATE TRIGGER report_unit_call AFTER INSERT OR UPDATE OR DELETE ON "call"
FOR EACH ROW EXECUTE FUNCTION report_unit_forget_call()""",
    'DROP TRIGGER IF EXISTS report_unit_leg ON "leg"',
    """CREATE TRIGGER report_unit_leg AFTER INSERT OR UPDATE OR DELETE ON "leg"
FOR EACH ROW EXECUTE FUNCTION report_unit_forget_leg()""",
    'DROP TRIGGER IF EXISTS report_unit_ticket ON "ticket"',
    """CREATE TRIGGER report_unit_ticket AFTER INSERT OR UPDATE OR DELETE ON "ticket"
FOR EACH ROW EXECUTE FUNCTION report_unit_forget_ticket()""",
)

TABLE = "report_unit"
FORGET_ALL = 'DELETE FROM "report_unit"'
# the triggers in place, as each database lists them (on PostgreSQL those not disabled)
LISTED_SQLITE = "SELECT \"name\" FROM \"sqlite_master\" WHERE \"type\" = 'trigger'"
LISTED_POSTGRES = ("SELECT \"tgname\" FROM \"pg_trigger\" "
                   "WHERE NOT \"tgisinternal\" AND \"tgenabled\" <> 'D'")


def _postgres(db):
    return isinstance(db, PostgresqlDatabase)


def make_triggers(db, forget=False):
    """Make the triggers (again) in the caller's transaction, once the units' table is
    there; with `forget`, delete every kept unit first (a schema step may have changed rows
    without the triggers)."""
    if not db.table_exists(TABLE):
        return
    if forget:
        db.execute_sql(FORGET_ALL)
    for statement in POSTGRES if _postgres(db) else SQLITE:
        db.execute_sql(statement)


def in_place(db):
    """Whether the units' table and all the triggers are there, read from the database's
    catalogue (a schema made some other way, or a table rebuilt without its triggers, has
    not; neither has PostgreSQL's with a trigger disabled)."""
    if not db.table_exists(TABLE):
        return False
    postgres = _postgres(db)
    listed = {name for (name,) in db.execute_sql(
        LISTED_POSTGRES if postgres else LISTED_SQLITE).fetchall()}
    return listed.issuperset(POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS)
