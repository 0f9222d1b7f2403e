import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from cre_portal.audit.management.commands.grant_app_privileges import append_only_tables
from cre_portal.audit.services import access_log_record
from tests.referrals.factories import ChildFactory

pytestmark = pytest.mark.django_db

ROLE = "cre_app_test"


@pytest.fixture
def app_role():
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {ROLE}")
        cursor.execute(f"CREATE ROLE {ROLE}")
    call_command("grant_app_privileges", ROLE)
    return ROLE


def as_role(role, statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute(statement, params)


def test_history_chronology_and_access_log_are_append_only():
    tables = append_only_tables()

    assert {"audit_accesslogentry", "audit_caseevent", "referrals_childevent"} <= set(tables)


def test_app_role_can_append_to_but_not_rewrite_the_access_log(app_role, social_worker):
    child = ChildFactory()
    entry = access_log_record(user=social_worker, obj=child, child_id=child.pk)

    as_role(app_role, "SELECT count(*) FROM audit_accesslogentry")
    with pytest.raises(DatabaseError, match="permission denied"):
        as_role(app_role, "TRUNCATE audit_accesslogentry")
    with pytest.raises(DatabaseError, match="permission denied"):
        as_role(app_role, "DELETE FROM referrals_childevent")
    as_role(app_role, "UPDATE referrals_child SET gender_identity = '' WHERE id = %s", [child.pk])
    assert entry.pk


def test_unknown_role_is_a_clear_error():
    with pytest.raises(CommandError, match="no database role called nobody_here"):
        call_command("grant_app_privileges", "nobody_here")
