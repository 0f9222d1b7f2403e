"""Personas and rule types for the access matrix (tests/test_access_matrix.py)."""

import dataclasses
from collections.abc import Callable

from cre_portal.accounts.roles import Role

# --- Personas ---------------------------------------------------------------------------------
ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
OTHER_TEAM_SOCIAL_WORKER = "other_team_social_worker"
SOCIAL_WORKER = Role.SOCIAL_WORKER.value
TEAM_MANAGER = Role.TEAM_MANAGER.value
SERVICE_MANAGER = Role.SERVICE_MANAGER.value
CP_MANAGER = Role.CP_MANAGER.value
MISSING_OFFICER = Role.MISSING_OFFICER.value
ADMINISTRATOR = Role.ADMINISTRATOR.value
PERSONAS = (ANONYMOUS, NO_ROLE, *(role.value for role in Role), OTHER_TEAM_SOCIAL_WORKER)
SIGNED_IN = frozenset(PERSONAS) - {ANONYMOUS}
NOBODY: frozenset[str] = frozenset()

IN_SCOPE = "in scope"
OUT_OF_SCOPE = "out of scope"


@dataclasses.dataclass(frozen=True)
class Rule:
    """Who may use a URL: without an object, or with the in-scope and the out-of-scope one."""

    in_scope: frozenset[str]
    out_of_scope: frozenset[str] | None = None
    obj: str | None = None
    # The MFA pages and signing out must work for a signed-in user who has not yet passed MFA.
    before_mfa: bool = False
    # Signing out is POST-only: GET answers 405 even for those allowed.
    post_only: bool = False


@dataclasses.dataclass(frozen=True)
class ObjectKind:
    """How to make the in-scope and out-of-scope objects, and the page that says who sees them."""

    build: Callable[[dict], dict]
    detail_url: str
