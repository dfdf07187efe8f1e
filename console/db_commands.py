"""`dutyline db`: creating and upgrading the database."""

import click
from flask.cli import with_appcontext

from console.app import app_options


@click.group("db")
def db():
    """The database."""


@db.command("init")
@app_options(database="create")
@with_appcontext
def db_init():
    """Create the database and its tables, or bring them up to date (safe to run again)."""
    from dutyline.migrations import schema_version, upgrade

    upgrade()
    click.echo(f"database ready (schema version {schema_version()})")


@db.command("upgrade")
@app_options(database="upgrade")
@with_appcontext
def db_upgrade():
    """Apply the schema migrations the database lacks (the Procfile's release step)."""
    from dutyline.migrations import LATEST, schema_version, upgrade

    before = schema_version()
    applied = upgrade()
    if applied:
        click.echo(f"schema upgraded from version {before} to {applied[-1]}")
    else:
        click.echo(f"schema already at version {LATEST}")
