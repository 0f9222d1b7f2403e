"""Access rules for the imports pages.

See tests/test_access_matrix.py. Written by hand, never computed from the app's rules.

Only administrators hold the import capability. Imports are the authority's data, not a team's,
so there is no team scope: every administrator sees (and may confirm) every import. The
"in scope" import is the administrator's own; the "out of scope" one was uploaded by another
administrator in team B, and the administrator must still see it (a DPO oversees all imports).
Nobody else sees either: 404 for the objects, 403 or 404 for the pages without one.
"""

from cre_portal.accounts.roles import Role
from tests.access.personas import (
    ADMINISTRATOR,
    IN_SCOPE,
    OTHER_TEAM_SOCIAL_WORKER,
    OUT_OF_SCOPE,
    ObjectKind,
    Rule,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories_imports import CaseImportFactory

ADMINISTRATORS = frozenset({ADMINISTRATOR})

EXPECTATIONS: dict[str, Rule] = {
    "referrals:import_list": Rule(ADMINISTRATORS),
    "referrals:import_upload": Rule(ADMINISTRATORS),
    "referrals:import_detail": Rule(ADMINISTRATORS, ADMINISTRATORS, obj="case_import"),
    # POST only; a confirmed or rejected import answers with a redirect back to it.
    "referrals:import_confirm": Rule(
        ADMINISTRATORS, ADMINISTRATORS, obj="case_import", post_only=True
    ),
}


def _case_imports(users: dict) -> dict:
    other_administrator = UserFactory(
        team=users[OTHER_TEAM_SOCIAL_WORKER].team, roles=[Role.ADMINISTRATOR]
    )
    return {
        IN_SCOPE: CaseImportFactory(uploaded_by=users[ADMINISTRATOR]),
        OUT_OF_SCOPE: CaseImportFactory(uploaded_by=other_administrator),
    }


OBJECT_KINDS = {
    "case_import": ObjectKind(build=_case_imports, detail_url="referrals:import_detail")
}
