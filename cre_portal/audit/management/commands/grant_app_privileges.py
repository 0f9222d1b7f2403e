"""Give the application's database role what it needs, and no way to rewrite the audit trail.

Run as the owner (the role that runs migrations), after every migrate:
    manage.py grant_app_privileges cre_app
The app role may read and write case tables but only SELECT and INSERT on the write history,
the chronology and the access log, so not even a compromised app server can edit them.
"""

import pghistory.models
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

from cre_portal.audit.models import AccessLogEntry, CaseEvent


def append_only_tables() -> list[str]:
    """Tables the app may only read and append to: history events, chronology, access log."""
    events = [
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event) and not model._meta.abstract
    ]
    return sorted([*events, AccessLogEntry._meta.db_table, CaseEvent._meta.db_table])


class Command(BaseCommand):
    help = "Grant the app's database role least privilege; audit tables become append-only."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the database role the web and worker processes use")

    def handle(self, *args, role, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"There is no database role called {role}.")
            for statement in self.statements(role):
                cursor.execute(statement)
        self.stdout.write(f"Granted {role}; {len(append_only_tables())} tables are append-only.")

    def statements(self, role: str) -> list[sql.Composed]:
        who = sql.Identifier(role)
        grants = [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(who),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
            # pghistory upserts the request's context row, so it keeps UPDATE there.
            sql.SQL("REVOKE DELETE, TRUNCATE ON pghistory_context FROM {}").format(who),
        ]
        for table in append_only_tables():
            grants.append(
                sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                    sql.Identifier(table), who
                )
            )
        return grants
