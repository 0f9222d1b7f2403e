"""Synthetic demo data for `manage.py seed_demo`. Never real people; idempotent."""

import secrets

from cre_portal.accounts.models import User
from cre_portal.accounts.roles import Role
from cre_portal.demo.casework import seed_casework
from cre_portal.demo.people import CHILD_COUNT, seed_accounts, seed_children
from reports.demo import seed_report_demo


def seed(
    password: str | None = None, child_count: int = CHILD_COUNT, with_reports: bool = True
) -> tuple[list[User], str]:
    """Seed everything; returns the demo accounts and their password.

    Reports are rendered for real (tens of seconds), so tests of the rest can leave them out.
    """
    password = password or secrets.token_urlsafe(12)
    users = seed_accounts(password)
    workers = [u for u in users if u.has_role(Role.SOCIAL_WORKER)]
    seed_children(workers, child_count)
    seed_casework({role: u for u in users for role in [u.groups.get().name]})
    if with_reports:
        seed_report_demo()
    return users, password
