"""The triggers that keep the reports' kept figures (report_unit, reports.units) right:
a row of call, leg or ticket inserted, changed or deleted deletes the units its moment falls
in (a call's arrival, a leg's call's arrival, a ticket's making): its hour, day and month.

A unit is kept only once it is over, so a row from after the latest end of any kept unit
(an arriving call and its first leg, almost every status callback) falls in none: the
triggers read that end first, one step down an index (report_unit_ends_at), and go no
further. Only a row from before it (a late change to an older call) looks for its units.

Not a numbered step: every upgrade drops them and makes them anew once its steps have run,
because SQLite drops a table's triggers when a step rebuilds the table, and it forgets every
kept unit when a step has run (a step may change rows without the triggers in place).
"""

from peewee import PostgresqlDatabase

TABLES = (("call", "{row}.started_at"),
          ("leg", '(SELECT "started_at" FROM "call" WHERE "id" = {row}.call_id)'),
          ("ticket", "{row}.created_at"))
SQLITE_EVENTS = (("insert", ("NEW",)), ("update", ("OLD", "NEW")), ("delete", ("OLD",)))
# the moment after which no kept unit reaches (null while none is kept)
KEPT_UNTIL = 'SELECT max("ends_at") FROM "report_unit"'

# An hour is an hour long, a day never longer than 25 h (the change back from summer time)
# and a month never longer than 31 days and an hour: each level's unit holding the moment is
# found in the index by level and start (report_unit_level_starts_at) within that reach.
REACH = (("hour", "1 hours"), ("day", "25 hours"), ("month", "32 days"))
SQLITE_FORGET = " ".join(
    f'DELETE FROM "report_unit" WHERE "level" = \'{level}\' AND "starts_at" > '
    f'datetime({{at}}, \'-{reach}\') AND "starts_at" <= {{at}} AND "ends_at" > {{at}};'
    for level, reach in REACH)
# PL/pgSQL, not SQL: a SQL function's statements are planned anew at every call from a
# trigger, PL/pgSQL keeps their plans for the session (about 0.3 ms less per arrival)
PG_FORGET = ("CREATE OR REPLACE FUNCTION report_unit_forget(at timestamp) RETURNS void AS $$\nBEGIN"
             + "".join(f"""
  DELETE FROM "report_unit" WHERE "level" = '{level}' AND "starts_at" > at - INTERVAL '{reach}'
    AND "starts_at" <= at AND "ends_at" > at;""" for level, reach in REACH)
             + "\nEND $$ LANGUAGE plpgsql")
PG_TABLE_FUNCTION = """CREATE OR REPLACE FUNCTION report_unit_forget_{table}() RETURNS trigger
AS $$
DECLARE
  kept_until timestamp := (%s);
  at timestamp;
BEGIN
  IF kept_until IS NULL THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN
    at := {old};
    IF at < kept_until THEN PERFORM report_unit_forget(at); END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    at := {new};
    IF at < kept_until THEN PERFORM report_unit_forget(at); END IF;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""" % KEPT_UNTIL
PG_TRIGGER = """CREATE TRIGGER report_unit_{table} AFTER INSERT OR UPDATE OR DELETE ON "{table}"
  FOR EACH ROW EXECUTE FUNCTION report_unit_forget_{table}()"""


def trigger_names(postgres):
    if postgres:
        return [f"report_unit_{table}" for table, _at in TABLES]
    return [f"report_unit_{table}_{event}" for table, _at in TABLES
            for event, _rows in SQLITE_EVENTS]


def keep_triggers(db, steps_applied):
    """Make the triggers (again); forget the kept units when steps were applied."""
    if not db.table_exists("report_unit"):
        return
    if steps_applied:
        db.execute_sql('DELETE FROM "report_unit"')
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(PG_FORGET)
        for table, at in TABLES:
            db.execute_sql(PG_TABLE_FUNCTION.format(table=table, old=at.format(row="OLD"),
                                                    new=at.format(row="NEW")))
            db.execute_sql(f'DROP TRIGGER IF EXISTS report_unit_{table} ON "{table}"')
            db.execute_sql(PG_TRIGGER.format(table=table))
        return
    for table, at in TABLES:
        for event, rows in SQLITE_EVENTS:
            body = " ".join(SQLITE_FORGET.format(at=at.format(row=row)) for row in rows)
            when = " OR ".join(f"{at.format(row=row)} < ({KEPT_UNTIL})" for row in rows)
            db.execute_sql(f'DROP TRIGGER IF EXISTS "report_unit_{table}_{event}"')
            db.execute_sql(f'CREATE TRIGGER "report_unit_{table}_{event}" AFTER '
                           f'{event.upper()} ON "{table}" WHEN {when} BEGIN {body} END')
