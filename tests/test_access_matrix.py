"""Access matrix: every URL, GET and POST, as every persona, against a hand-written table.

The URLs come from the resolver, so a new view is covered the day it is added. Each is requested
as: anonymous; a signed-in user with no role; each `Role`, all in team A; and a social worker of
team B. URLs with a child in them are requested with a team-A child allocated to the team-A
social worker ("in scope") and with a team-B child ("out of scope").

The expectations below are written by hand from the intended rules (`referrals/permissions.py`
and the capability-granting data migrations). They must never be computed by calling the app's
permission functions, or a wrong rule could not be caught.

How the answers are read:
- success: 200, 201 or 204, or a redirect anywhere but the sign-in wall or an MFA page. Signing
  out redirects to the sign-in page *without* `?next=`, so that counts as success; the wall that
  `LoginRequiredMiddleware` puts up always carries `?next=`.
- refused: 403, 404 or 405 for a signed-in user; the sign-in wall for an anonymous one.
- A refusal for an object the persona cannot see must be 404, never 403 (no existence leak).
- 405 is never a leak: it is accepted on POST from anyone (most views are GET-only), and on
  GET for a `post_only` rule.

Also checked: every non-public URL sends a signed-in user who has not passed MFA to an MFA page
(except the `before_mfa` pages, which must let them through), and only the administrator (staff)
gets into Django admin, whose pages are otherwise left out of the matrix.

How to add a URL: name it, then add a row to the EXPECTATIONS of its area's module in
tests/access/ (or, only if it must be reachable signed out, to PUBLIC_URLS in platform.py).
Use `Rule(personas)` for a page without an object and `Rule(in_scope, out_of_scope=...,
obj="child")` for one with a child's `<uuid:pk>`. A URL with another kind of object needs an
entry in its module's OBJECT_KINDS first. Then run this module.
"""

import dataclasses
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cre_portal.accounts.roles import Role
from tests.access import (
    assessments,
    feedback,
    imports,
    meetings,
    missing,
    nrm,
    offer,
    platform,
    referrals,
    reports,
    tasking_groups,
    tasking_meetings,
    tasking_subjects,
)
from tests.access.personas import (
    ADMINISTRATOR,
    ANONYMOUS,
    IN_SCOPE,
    NO_ROLE,
    NOBODY,
    OTHER_TEAM_SOCIAL_WORKER,
    OUT_OF_SCOPE,
    PERSONAS,
    SIGNED_IN,
    Rule,
)
from tests.accounts.factories import TeamFactory, TOTPDeviceFactory, UserFactory
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

AREAS = (
    platform,
    referrals,
    missing,
    nrm,
    imports,
    assessments,
    offer,
    meetings,
    feedback,
    reports,
    tasking_groups,
    tasking_subjects,
    tasking_meetings,
)
PUBLIC_URLS = platform.PUBLIC_URLS
EXPECTATIONS: dict[str, Rule] = {}
OBJECT_KINDS: dict = {}
# Public URLs that take an argument (a feedback link's token): a function making a valid one.
PUBLIC_URL_KWARGS: dict = {}
for _area in AREAS:
    assert not EXPECTATIONS.keys() & _area.EXPECTATIONS.keys(), f"{_area.__name__} repeats a URL"
    EXPECTATIONS.update(_area.EXPECTATIONS)
    OBJECT_KINDS.update(_area.OBJECT_KINDS)
    PUBLIC_URL_KWARGS.update(getattr(_area, "PUBLIC_URL_KWARGS", {}))


# --- The world every test runs against --------------------------------------------------------
def _users() -> dict:
    team_a, team_b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    users = {
        role.value: UserFactory(team=team_a, roles=[role], is_staff=role == Role.ADMINISTRATOR)
        for role in Role
    }
    users[NO_ROLE] = UserFactory(team=team_a)
    users[OTHER_TEAM_SOCIAL_WORKER] = UserFactory(team=team_b, roles=[Role.SOCIAL_WORKER])
    return users


@dataclasses.dataclass(frozen=True)
class World:
    clients: dict  # persona -> test client, signed in past MFA (anonymous: not signed in)
    objects: dict  # object kind -> {IN_SCOPE: obj, OUT_OF_SCOPE: obj}


@pytest.fixture
def world(monkeypatch):
    # /healthz pings Redis and a Celery worker (1 s timeout each); access is under test here.
    monkeypatch.setattr("cre_portal.views.health", lambda: {"database": "up"})
    users = _users()
    clients = {name: sign_in(Client(), user) for name, user in users.items()}
    objects = {kind: spec.build(users) for kind, spec in OBJECT_KINDS.items()}
    return World(clients={ANONYMOUS: Client(), **clients}, objects=objects)


# --- URL discovery ----------------------------------------------------------------------------
# Django admin is protected by its own is_staff check (AdminSite.has_permission), tested once in
# test_only_administrator_reaches_django_admin rather than page by page.
SKIPPED_NAMESPACES = frozenset({"admin"})


def _walk(patterns, namespace="", kwargs=frozenset()) -> Iterator[tuple[str, frozenset[str]]]:
    """(name, URL kwargs) for every pattern; an unnamed one is reported by its route."""
    for entry in patterns:
        names = kwargs | set(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver) and entry.namespace in SKIPPED_NAMESPACES:
            continue
        if isinstance(entry, URLResolver):
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix, names)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else f"unnamed {entry.pattern}"), names


URLS = dict(_walk(get_resolver().url_patterns))
NON_PUBLIC_URLS = sorted(URLS.keys() - PUBLIC_URLS)


def _rule(name: str) -> Rule:
    """The URL's expectations, or a failure that says what to add."""
    if name.startswith("unnamed "):
        pytest.fail(f"give the URL pattern {name.removeprefix('unnamed ')} a name")
    if name in PUBLIC_URLS:
        return Rule(frozenset(PERSONAS))
    if name not in EXPECTATIONS:
        pytest.fail(f"add {name} to EXPECTATIONS in its area's module in tests/access/")
    rule = EXPECTATIONS[name]
    if URLS[name] != ({"pk"} if rule.obj else set()):
        pytest.fail(f"{name} takes {sorted(URLS[name])}: give its rule an obj from OBJECT_KINDS")
    return rule


# --- Reading an answer ------------------------------------------------------------------------
def _outcome(response) -> str:
    """success, login (the sign-in wall), mfa, or the status code of a refusal or error."""
    if response.status_code in (200, 201, 204):
        return "success"
    if response.status_code not in (301, 302, 303, 307, 308):
        return str(response.status_code)
    url = urlsplit(response["Location"])
    if url.path == reverse("accounts:login") and "next" in parse_qs(url.query):
        return "login"
    if url.path in (reverse("accounts:mfa_setup"), reverse("accounts:mfa_verify")):
        return "mfa"
    return "success"


def _describe(response) -> str:
    outcome = _outcome(response)
    if "Location" in response:
        return f"{outcome} ({response.status_code} to {response['Location']})"
    return outcome if outcome.isdigit() else f"{outcome} ({response.status_code})"


@dataclasses.dataclass(frozen=True)
class Scope:
    label: str
    kwargs: dict
    allowed: frozenset[str]
    seen_by: frozenset[str]  # who may see the object at all; the rest must get 404


def _scopes(rule: Rule, world: World) -> list[Scope]:
    if rule.obj is None:
        return [Scope("-", {}, rule.in_scope, SIGNED_IN)]
    objects = world.objects[rule.obj]
    seen_by = EXPECTATIONS[OBJECT_KINDS[rule.obj].detail_url]
    return [
        Scope(IN_SCOPE, {"pk": objects[IN_SCOPE].pk}, rule.in_scope, seen_by.in_scope),
        Scope(
            OUT_OF_SCOPE, {"pk": objects[OUT_OF_SCOPE].pk}, rule.out_of_scope, seen_by.out_of_scope
        ),
    ]


def _expected(*, persona: str, scope: Scope, method: str, rule: Rule, public: bool) -> set[str]:
    """The outcomes that are right for this persona, object and method."""
    if persona == ANONYMOUS and not public:
        return {"login"}
    if persona in scope.allowed or public:
        answers = {"success"}
    elif persona in scope.seen_by:
        answers = {"403", "404"}
    else:
        answers = {"404"}
    if method == "post" or rule.post_only:
        answers.add("405")
    return answers


# --- The matrix -------------------------------------------------------------------------------
def _mismatches(name: str, rule: Rule, world: World) -> list[tuple]:
    rows = []
    scopes = _scopes(rule, world)
    if name in PUBLIC_URL_KWARGS:
        scopes = [Scope("-", PUBLIC_URL_KWARGS[name](), rule.in_scope, SIGNED_IN)]
    for scope in scopes:
        url = reverse(name, kwargs=scope.kwargs)
        for persona in PERSONAS:
            for method in ("get", "post"):
                response = getattr(world.clients[persona], method)(url)
                expected = _expected(
                    persona=persona,
                    scope=scope,
                    method=method,
                    rule=rule,
                    public=name in PUBLIC_URLS,
                )
                if _outcome(response) not in expected:
                    row = (persona, scope.label, method.upper(), "/".join(sorted(expected)))
                    rows.append((*row, _describe(response)))
    return rows


def _table(rows: list[tuple]) -> str:
    rows = [("persona", "object", "method", "expected", "got"), *rows]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


@pytest.mark.parametrize("name", sorted(URLS))
def test_access_matrix(name, world):
    rule = _rule(name)

    rows = _mismatches(name, rule, world)

    assert not rows, f"{name}: access differs from EXPECTATIONS\n{_table(rows)}"


# --- MFA gate ---------------------------------------------------------------------------------
def _unverified_clients() -> dict:
    """Signed in with a password only, holding every role so only the MFA gate can stop them."""
    enrolled, not_enrolled = UserFactory(roles=list(Role)), UserFactory(roles=list(Role))
    TOTPDeviceFactory(user=enrolled)
    clients = {"enrolled, no MFA": Client(), "not enrolled": Client()}
    clients["enrolled, no MFA"].force_login(enrolled)
    clients["not enrolled"].force_login(not_enrolled)
    return clients


@pytest.mark.parametrize("name", NON_PUBLIC_URLS)
def test_signed_in_user_must_pass_mfa_first(name, world):
    # given
    rule = _rule(name)
    url = reverse(name, kwargs={"pk": world.objects[rule.obj][IN_SCOPE].pk} if rule.obj else {})
    # The pre-MFA pages must let them through; everything else must send them to MFA.
    expected = {"success", "mfa", "405"} if rule.before_mfa else {"mfa"}
    rows = []

    # when
    for label, client in _unverified_clients().items():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if _outcome(response) not in expected:
                rows.append(
                    (label, "-", method.upper(), "/".join(sorted(expected)), _describe(response))
                )

    # then
    assert not rows, f"{name}: MFA gate\n{_table(rows)}"


# --- The table itself -------------------------------------------------------------------------
def test_expectations_name_only_real_urls():
    stale = (EXPECTATIONS.keys() | PUBLIC_URLS | PUBLIC_URL_KWARGS.keys()) - URLS.keys()

    assert not stale, f"remove {sorted(stale)} from tests/test_access_matrix.py"


def test_expectations_are_well_formed():
    # Anonymous access comes from PUBLIC_URLS alone, so the allow-list stays the one place.
    assert not PUBLIC_URLS & EXPECTATIONS.keys()
    for name, rule in EXPECTATIONS.items():
        assert ANONYMOUS not in rule.in_scope | (rule.out_of_scope or NOBODY), name
        assert (rule.obj is None) == (rule.out_of_scope is None), name
        assert rule.obj is None or rule.obj in OBJECT_KINDS, name


# --- Django admin -----------------------------------------------------------------------------
def _refused_by_admin(response) -> bool:
    """Django admin refuses with a redirect to its own sign-in page (or ours), or a 403."""
    sign_in_pages = {reverse("admin:login"), reverse("accounts:login")}
    redirected = response.status_code == 302
    return response.status_code == 403 or (
        redirected and urlsplit(response["Location"]).path in sign_in_pages
    )


def test_only_administrator_reaches_django_admin(world):
    # Django admin guards itself with is_staff (AdminSite.has_permission); only the
    # administrator role is staff. The admin pages are not in the matrix, so check the door.
    responses = {persona: c.get(reverse("admin:index")) for persona, c in world.clients.items()}

    assert responses[ADMINISTRATOR].status_code == 200
    wrongly_let_in = [
        f"{persona}: {_describe(response)}"
        for persona, response in responses.items()
        if persona != ADMINISTRATOR and not _refused_by_admin(response)
    ]
    assert not wrongly_let_in, "\n".join(wrongly_let_in)


def test_django_admin_is_behind_mfa():
    staff = UserFactory(is_staff=True, roles=[Role.ADMINISTRATOR])
    client = Client()
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert _outcome(response) == "mfa", _describe(response)
