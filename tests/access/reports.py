"""Access rules for the reports pages.

See tests/test_access_matrix.py. Written by hand, never computed from the app's rules.

Reports hold counts, not children's details, so there is no team scope. Report readers are the
analyst, the director and the three managers. Exact figures (and runs made with them) are for
the analyst and the service and child protection managers only, who are also the ones who may
request runs and try failed ones again. Only the analyst (the report manager) keeps the
schedules and the committee paper's wording.

Objects: the "in scope" run is a finished public one, the "out of scope" run a finished exact
one (a reader without exact rights must not learn it exists: 404). The "in scope" schedule is
a public one, the "out of scope" one an exact one; the analyst sees both.
"""

from cre_portal.accounts.roles import Role
from tests.access.personas import (
    CP_MANAGER,
    IN_SCOPE,
    OUT_OF_SCOPE,
    SERVICE_MANAGER,
    TEAM_MANAGER,
    ObjectKind,
    Rule,
)
from tests.reports.factories_runs import DoneReportRunFactory, ReportScheduleFactory

ANALYST = Role.ANALYST.value
DIRECTOR = Role.DIRECTOR.value
READERS = frozenset({ANALYST, DIRECTOR, SERVICE_MANAGER, CP_MANAGER, TEAM_MANAGER})
EXACT_READERS = frozenset({ANALYST, SERVICE_MANAGER, CP_MANAGER})
# Who may request and retry runs: the same people as see exact figures.
GENERATORS = EXACT_READERS
REPORT_MANAGERS = frozenset({ANALYST})

SEEING_A_RUN = Rule(READERS, EXACT_READERS, obj="report_run")

EXPECTATIONS: dict[str, Rule] = {
    "reports:run_list": Rule(READERS),
    # An empty POST re-shows the form with its errors: a success for the matrix.
    "reports:run_request": Rule(GENERATORS),
    "reports:run_detail": SEEING_A_RUN,
    "reports:run_status": SEEING_A_RUN,
    # Each download is logged; an exact run's files only for exact readers.
    "reports:run_download": SEEING_A_RUN,
    # A run that has not failed answers with a redirect back to it, saying so.
    "reports:run_retry": Rule(GENERATORS, GENERATORS, obj="report_run", post_only=True),
    "reports:schedule_list": Rule(REPORT_MANAGERS),
    "reports:schedule_create": Rule(REPORT_MANAGERS),
    "reports:schedule_edit": Rule(REPORT_MANAGERS, REPORT_MANAGERS, obj="report_schedule"),
    "reports:schedule_deactivate": Rule(
        REPORT_MANAGERS, REPORT_MANAGERS, obj="report_schedule", post_only=True
    ),
    "reports:paper_template_edit": Rule(REPORT_MANAGERS),
    # The report on screen and its charts (public figures) are for every report reader.
    "reports:screen": Rule(READERS),
    "reports:chart": Rule(READERS),
}


def _report_runs(users: dict) -> dict:
    return {
        IN_SCOPE: DoneReportRunFactory(requested_by=users[ANALYST]),
        OUT_OF_SCOPE: DoneReportRunFactory(requested_by=users[ANALYST], exact=True),
    }


def _report_schedules(users: dict) -> dict:
    return {
        IN_SCOPE: ReportScheduleFactory(recipients=[users[DIRECTOR]]),
        OUT_OF_SCOPE: ReportScheduleFactory(exact=True, recipients=[users[ANALYST]]),
    }


OBJECT_KINDS: dict[str, ObjectKind] = {
    "report_run": ObjectKind(build=_report_runs, detail_url="reports:run_detail"),
    "report_schedule": ObjectKind(build=_report_schedules, detail_url="reports:schedule_edit"),
}
