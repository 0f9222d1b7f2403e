"""Finding children: a forgiving search of names, aliases, case references and dates of birth,
and the check for an existing record before a child is added.

Names are matched with pg_trgm's word similarity against `Child.search_text`, which the trigram
index `child_search_trgm` serves, so partial names ("smi") and slips ("Jaden" for "Jayden") match
and the best matches come first.
"""

import dataclasses
import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When

from cre_portal.accounts.models import User
from referrals.models import Child, ChildQuerySet
from referrals.permissions.children import visible_children

SEARCH_PAGE_SIZE = 25
# pg_trgm's default (0.6) misses one-letter slips in short names: "jaden" scores 0.44 against
# "jayden", "smyth" 0.33 against "smith". Results are ranked, so weaker matches sink.
WORD_SIMILARITY_THRESHOLD = 0.3
# Before a child is added: a near-identical full name anywhere, or the same birthday with a
# similar first or last name (surnames change in care; twins share birthdays and surnames).
DUPLICATE_NAME_THRESHOLD = 0.6
DUPLICATE_PART_THRESHOLD = 0.3
DUPLICATE_LIMIT = 10

DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def looks_like_date(token: str) -> bool:
    """Digits in a date's shape, whether or not they make a real date."""
    return bool(DAY_FIRST.match(token) or YEAR_FIRST.match(token))


def parse_date(token: str) -> datetime.date | None:
    """A date typed the British way (12/03/2012, 12-3-2012, 12.03.2012) or as 2012-03-12."""
    if match := YEAR_FIRST.match(token):
        year, month, day = match.groups()
    elif match := DAY_FIRST.match(token):
        day, month, year = match.groups()
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def split_search_term(term: str) -> tuple[str, list[datetime.date]]:
    """The words to match against names and references, and the dates typed among them."""
    words: list[str] = []
    dates: list[datetime.date] = []
    for token in term.split():
        date = parse_date(token)
        if date is None:
            words.append(token)
        else:
            dates.append(date)
    return " ".join(words).lower(), dates


@contextmanager
def forgiving_search() -> Iterator[None]:
    """Lower pg_trgm's word-similarity threshold for one transaction, so slips still match.

    The `%>` operator, which the trigram index serves, reads its threshold from the session;
    `set_config(..., true)` confines the change to this transaction, so a pooled or persistent
    connection is handed back as it was.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(WORD_SIMILARITY_THRESHOLD)],
            )
        yield


def search_children(children: ChildQuerySet, term: str) -> ChildQuerySet:
    """The `children` the term finds, best match first; evaluate inside `forgiving_search()`."""
    words, dates = split_search_term(term)
    if dates:
        children = children.filter(date_of_birth__in=dates)
    if not words:
        return children
    exact_ref = Case(
        When(child_ref__iexact=words, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return (
        children.filter(search_text__trigram_word_similar=words)
        .annotate(exact_ref=exact_ref, rank=TrigramWordSimilarity(words, "search_text"))
        .order_by("-exact_ref", "-rank", "last_name", "first_name", "child_ref")
    )


def search_children_page(children: ChildQuerySet, term: str, page_number: str | None) -> Page:
    """One page of `children` matching `term` (all of them when it is empty)."""
    words, _dates = split_search_term(term)
    if not words:
        return Paginator(search_children(children, term), SEARCH_PAGE_SIZE).get_page(page_number)
    with forgiving_search():
        page = Paginator(search_children(children, term), SEARCH_PAGE_SIZE).get_page(page_number)
        # Fetch now, while the lowered threshold is in force.
        page.object_list = list(page.object_list)
    return page


# --- Before adding a child ------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class PossibleDuplicate:
    """A child who may be the one being added.

    `child` is set only when the user may open that record; otherwise the page shows just the
    case reference and the team to contact, never the name or date of birth.
    """

    child_ref: str
    team_name: str
    child: Child | None


def _birthdays(date_of_birth: datetime.date) -> list[datetime.date]:
    """The date and, when it could be one, the date with day and month swapped (a common slip)."""
    birthdays = [date_of_birth]
    if date_of_birth.day <= 12 and date_of_birth.day != date_of_birth.month:
        birthdays.append(date_of_birth.replace(month=date_of_birth.day, day=date_of_birth.month))
    return birthdays


def _duplicate_candidates(
    first_name: str, last_name: str, date_of_birth: datetime.date
) -> list[Child]:
    full_name = f"{first_name} {last_name}".lower()
    same_birthday = Q(date_of_birth__in=_birthdays(date_of_birth))
    similar_part = Q(first_score__gte=DUPLICATE_PART_THRESHOLD) | Q(
        last_score__gte=DUPLICATE_PART_THRESHOLD
    )
    birthday_first = Case(When(same_birthday, then=Value(1)), default=Value(0))
    with forgiving_search():
        # The first filter is the index-served superset; the second says what counts.
        candidates = (
            Child.objects.select_related("team")
            .filter(Q(search_text__trigram_word_similar=full_name) | same_birthday)
            .annotate(
                name_score=TrigramWordSimilarity(full_name, "search_text"),
                first_score=TrigramWordSimilarity(first_name.lower(), "search_text"),
                last_score=TrigramWordSimilarity(last_name.lower(), "search_text"),
                birthday_first=birthday_first,
            )
            .filter(Q(name_score__gte=DUPLICATE_NAME_THRESHOLD) | (same_birthday & similar_part))
            .order_by("-birthday_first", "-name_score", "child_ref")
        )
        return list(candidates[:DUPLICATE_LIMIT])


def possible_duplicates(
    user: User, *, first_name: str, last_name: str, date_of_birth: datetime.date
) -> list[PossibleDuplicate]:
    """Children anywhere in the authority who may be this child, as much as the user may see.

    Deliberately not limited to the user's scope: a record held by another team is exactly the
    duplicate to catch. Those outside the scope come back as case reference and team only.
    """
    candidates = _duplicate_candidates(first_name, last_name, date_of_birth)
    ids = [child.pk for child in candidates]
    visible = set(visible_children(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        PossibleDuplicate(
            child_ref=child.child_ref,
            team_name=child.team.name if child.team else "",
            child=child if child.pk in visible else None,
        )
        for child in candidates
    ]
