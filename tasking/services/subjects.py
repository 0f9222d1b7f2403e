"""Subjects of concern (persons, places, businesses, vehicles, online accounts, peer groups),
the check for likely duplicates before one is added, and their links to children and to each
other.

Every write checks the actor's permission and runs in one transaction; linking a child (or
ending the link) adds an event to the child's chronology, worded from codes only: never the
subject's name, so the timeline can be shown to anyone who can see the child.
"""

import dataclasses
import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest, Replace, Upper
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import save_versioned
from cre_portal.timescales import LONDON
from referrals.models import Child
from referrals.services.child_search import forgiving_search
from tasking.models import (
    ChildSubjectLink,
    Grading,
    SubjectAssociation,
    SubjectKind,
    SubjectOfConcern,
)
from tasking.permissions.subjects import (
    can_edit_subject,
    can_end_association,
    can_end_child_link,
    can_link_child,
    can_record_subject,
    visible_subjects,
)

# The fields that mean something only for some kinds; the rest are cleared for other kinds.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    SubjectKind.PERSON: ("date_of_birth", "phone_numbers"),
    SubjectKind.PLACE: ("address", "postcode"),
    SubjectKind.BUSINESS: ("address", "postcode", "phone_numbers"),
    SubjectKind.VEHICLE: ("vehicle_registration",),
    SubjectKind.ONLINE: ("online_handles",),
    SubjectKind.PEER_GROUP: (),
}
EMPTY_KIND_FIELDS: dict[str, Any] = {
    "date_of_birth": None,
    "address": "",
    "postcode": "",
    "vehicle_registration": "",
    "phone_numbers": [],
    "online_handles": [],
}
COMMON_FIELDS = ("name", "aliases", "description", "review_on")
EDITABLE_FIELDS = (*COMMON_FIELDS, *EMPTY_KIND_FIELDS, "status")
# "a place of concern", "an online account of concern": for chronology summaries.
KIND_NOUNS = {
    SubjectKind.PERSON: "a person",
    SubjectKind.PLACE: "a place",
    SubjectKind.BUSINESS: "a business",
    SubjectKind.VEHICLE: "a vehicle",
    SubjectKind.ONLINE: "an online account",
    SubjectKind.PEER_GROUP: "a peer group",
}
# Word similarity at or above which a name, alias or handle counts as a likely duplicate.
DUPLICATE_THRESHOLD = 0.5
DUPLICATE_LIMIT = 10
MAX_SEARCH_TERMS = 12
UK_PREFIX = re.compile(r"^(?:\+44|0044)0?")


def subject_reference(subject: SubjectOfConcern) -> str:
    """A short reference to quote, e.g. SUB-1A2B3C4D, made from the record's id."""
    return f"SUB-{subject.pk.hex[:8].upper()}"


def subject_label(subject: SubjectOfConcern) -> str:
    """Kind and reference (never the name): 'Place SUB-1A2B3C4D'."""
    return f"{subject.get_kind_display()} {subject_reference(subject)}"


# --- Normalising what is typed, so the same plate or number is recognised ---------------------
def normalise_plate(plate: str) -> str:
    """Upper case, no spaces: 'ab12 cde' and 'AB12CDE' are the same vehicle."""
    return "".join(plate.split()).upper()


def normalise_phone(number: str) -> str:
    """Digits only, UK numbers in the national form: '+44 (0)7700 900123' -> '07700900123'."""
    compact = re.sub(r"[^\d+]", "", number)
    if UK_PREFIX.match(compact):
        return "0" + UK_PREFIX.sub("", compact)
    return re.sub(r"\D", "", compact)


def normalise_handle(handle: str) -> str:
    return handle.strip().removeprefix("@").strip()


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _normalised(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The values to store: kind-specific fields cleared for other kinds, identifiers tidied."""
    values = {
        **fields,
        **{k: v for k, v in EMPTY_KIND_FIELDS.items() if k not in KIND_FIELDS[kind]},
    }
    values["vehicle_registration"] = " ".join(
        values.get("vehicle_registration", "").upper().split()
    )
    values["phone_numbers"] = _unique(normalise_phone(p) for p in values.get("phone_numbers", []))
    values["online_handles"] = _unique(
        normalise_handle(h) for h in values.get("online_handles", [])
    )
    values["aliases"] = _unique(a.strip() for a in values.get("aliases", []))
    values["postcode"] = " ".join(values.get("postcode", "").upper().split())
    return values


def _validate_dates(values: dict[str, Any], *, today: datetime.date) -> None:
    born = values.get("date_of_birth")
    if born is not None and born > today:
        raise ValidationError({"date_of_birth": "Date of birth must be in the past"})


# --- Likely duplicates -------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class PossibleSubjectMatch:
    """A subject that may be the one being added.

    `subject` is set only when the user may open it; otherwise the page says only that a
    possible match exists and whom to contact, never its name, kind or anything else about it.
    """

    subject: SubjectOfConcern | None
    reasons: tuple[str, ...]
    contact: str


def _contact(subject: SubjectOfConcern) -> str:
    """Whom to ask about a subject: the team (or agency) of whoever recorded it."""
    creator = subject.created_by
    if creator is None:
        return "the tasking team"
    if creator.team is not None:
        return creator.team.name
    return creator.get_agency_display()


def _search_terms(name: str, aliases: Iterable[str], handles: Iterable[str]) -> list[str]:
    terms = [name, *aliases, *(normalise_handle(h) for h in handles)]
    return _unique(" ".join(t.lower().split()) for t in terms)[:MAX_SEARCH_TERMS]


def _candidates(terms: list[str], plate: str, phones: list[str]) -> list[SubjectOfConcern]:
    similar = Q(pk__in=[])
    for term in terms:
        similar |= Q(search_text__trigram_word_similar=term)
    scores: list[Any] = [TrigramWordSimilarity(term, "search_text") for term in terms]
    name_score = Greatest(*scores, Value(0.0)) if scores else Value(0.0)
    plate_sql = Replace(Upper(F("vehicle_registration")), Value(" "), Value(""))
    same_plate = Q(compact_plate=plate) if plate else Q(pk__in=[])
    same_phone = Q(phone_numbers__overlap=phones) if phones else Q(pk__in=[])
    with forgiving_search():
        # The first filter is the index-served superset; the second says what counts.
        rows = (
            SubjectOfConcern.objects.select_related("created_by__team")
            .annotate(compact_plate=plate_sql, name_score=name_score)
            .filter(similar | same_plate | same_phone)
            .filter(Q(name_score__gte=DUPLICATE_THRESHOLD) | same_plate | same_phone)
            .order_by("-name_score", "pk")
        )
        return list(rows[:DUPLICATE_LIMIT])


def _reasons(subject: Any, plate: str, phones: list[str]) -> tuple[str, ...]:
    reasons = []
    if subject.name_score >= DUPLICATE_THRESHOLD:
        reasons.append("a similar name, alias or handle")
    if plate and subject.compact_plate == plate:
        reasons.append("the same vehicle registration")
    if set(phones) & set(subject.phone_numbers):
        reasons.append("the same phone number")
    return tuple(reasons)


def possible_subject_duplicates(
    user: User,
    *,
    name: str,
    aliases: Iterable[str] = (),
    vehicle_registration: str = "",
    phone_numbers: Iterable[str] = (),
    online_handles: Iterable[str] = (),
) -> list[PossibleSubjectMatch]:
    """Subjects anywhere that may be this one: similar names, aliases or handles, the same
    plate (spaces ignored) or phone number.

    Deliberately not limited to the user's scope: a subject another team recorded is exactly
    the duplicate to catch. Those the user cannot open come back as whom to contact only.
    """
    plate = normalise_plate(vehicle_registration)
    phones = _unique(normalise_phone(p) for p in phone_numbers)
    candidates = _candidates(_search_terms(name, aliases, online_handles), plate, phones)
    ids = [subject.pk for subject in candidates]
    visible = set(visible_subjects(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        PossibleSubjectMatch(
            subject=subject if subject.pk in visible else None,
            reasons=_reasons(subject, plate, phones) if subject.pk in visible else (),
            contact=_contact(subject),
        )
        for subject in candidates
    ]


# --- Adding and editing subjects ---------------------------------------------------------------
@transaction.atomic
def subject_create(*, actor: User, kind: str, **fields: Any) -> SubjectOfConcern:
    """Record a subject of concern, restricted from the start (opening it asks for a reason)."""
    if not can_record_subject(actor):
        raise PermissionDenied
    unknown = fields.keys() - {*COMMON_FIELDS, *EMPTY_KIND_FIELDS}
    if unknown:
        raise TypeError(f"Unknown subject fields: {sorted(unknown)}")
    values = _normalised(kind, fields)
    _validate_dates(values, today=timezone.localdate())
    subject = SubjectOfConcern(kind=kind, created_by=actor, is_restricted=True, **values)
    subject.full_clean()
    subject.save()
    return subject


@transaction.atomic
def subject_update(
    *, subject: SubjectOfConcern, actor: User, expected_version: int, changes: dict[str, Any]
) -> SubjectOfConcern:
    """Edit a subject; refused with StaleEdit when someone saved it after the user opened it."""
    if not can_edit_subject(actor, subject):
        raise PermissionDenied
    if changes.keys() - set(EDITABLE_FIELDS):
        raise TypeError(f"Unknown subject fields: {sorted(changes.keys() - set(EDITABLE_FIELDS))}")
    values = _normalised(subject.kind, {**_current_values(subject), **changes})
    _validate_dates(values, today=timezone.localdate())
    if values["review_on"] != subject.review_on:
        _validate_review_date(values["review_on"])
    for name, value in values.items():
        setattr(subject, name, value)
    subject.full_clean()
    save_versioned(subject, expected_version=expected_version, fields=list(values))
    return subject


def _current_values(subject: SubjectOfConcern) -> dict[str, Any]:
    return {name: getattr(subject, name) for name in EDITABLE_FIELDS}


def _validate_review_date(review_on: datetime.date | None) -> None:
    if review_on is not None and review_on < timezone.localdate():
        raise ValidationError({"review_on": "The review date must be today or in the future"})


# --- Links between children and subjects -------------------------------------------------------
def link_summary(subject: SubjectOfConcern, grading: str) -> str:
    """'Linked to a place of concern (reported)': kind and grading only, never a name."""
    return f"Linked to {KIND_NOUNS[SubjectKind(subject.kind)]} of concern ({grading.lower()})"


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


def _validate_link_date(linked_on: datetime.date) -> None:
    if linked_on > timezone.localdate():
        raise ValidationError({"linked_on": "The date of the link must be today or in the past"})


def _validate_end_date(ended_on: datetime.date, linked_on: datetime.date) -> None:
    if ended_on > timezone.localdate() or ended_on < linked_on:
        raise ValidationError(
            {"ended_on": "The date the link ended must be between the date of the link and today"}
        )


def _link_fields(
    *, source: str, source_reference: str, linked_on: datetime.date, grading: str
) -> dict[str, Any]:
    _validate_link_date(linked_on)
    return {
        "source": source,
        "source_reference": " ".join(source_reference.split()),
        "linked_on": linked_on,
        "grading": grading,
    }


@transaction.atomic
def child_link_create(
    *, subject: SubjectOfConcern, child: Child, actor: User, **link: Any
) -> ChildSubjectLink:
    """Link a child to a subject, with source, date and grading; noted on the child's chronology."""
    if not can_link_child(actor, subject, child):
        raise PermissionDenied
    fields = _link_fields(**link)
    if subject.child_links.filter(child=child, ended_on__isnull=True).exists():
        raise ValidationError({"child_ref": "This child is already linked to this subject"})
    row = ChildSubjectLink(subject=subject, child=child, created_by=actor, **fields)
    row.full_clean()
    row.save()
    case_event_record(
        child_id=child.pk,
        category=CaseEvent.Category.TASKING,
        verb="subject_linked",
        summary=link_summary(subject, Grading(row.grading).label),
        obj=row,
        actor=actor,
        occurred_at=_start_of(row.linked_on),
        is_significant=row.grading == Grading.VERIFIED,
    )
    return row


@transaction.atomic
def child_link_end(
    *, link: ChildSubjectLink, actor: User, ended_on: datetime.date
) -> ChildSubjectLink:
    """End a link (it is kept, with the date it ended); noted on the child's chronology."""
    if not can_end_child_link(actor, link):
        raise PermissionDenied
    link = ChildSubjectLink.objects.select_for_update().select_related("subject").get(pk=link.pk)
    if link.ended_on is not None:
        raise ValidationError("This link has already ended")
    _validate_end_date(ended_on, link.linked_on)
    link.ended_on = ended_on
    link.save(update_fields=["ended_on", "updated_at"])
    noun = KIND_NOUNS[SubjectKind(link.subject.kind)]
    case_event_record(
        child_id=link.child_id,
        category=CaseEvent.Category.TASKING,
        verb="subject_link_ended",
        summary=f"Link to {noun} of concern ended",
        obj=link,
        actor=actor,
        occurred_at=_start_of(ended_on),
    )
    return link


# --- Associations between subjects -------------------------------------------------------------
@transaction.atomic
def association_create(
    *, subject: SubjectOfConcern, other: SubjectOfConcern, actor: User, **link: Any
) -> SubjectAssociation:
    """Link two subjects the user can see (e.g. a person who frequents a place)."""
    if not (can_edit_subject(actor, subject) and can_edit_subject(actor, other)):
        raise PermissionDenied
    if subject.pk == other.pk:
        raise ValidationError({"other": "Select a different subject"})
    fields = _link_fields(**link)
    either_way = Q(subject=subject, other=other) | Q(subject=other, other=subject)
    if SubjectAssociation.objects.filter(either_way, ended_on__isnull=True).exists():
        raise ValidationError({"other": "These subjects are already linked"})
    row = SubjectAssociation(subject=subject, other=other, created_by=actor, **fields)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def association_end(
    *, association: SubjectAssociation, actor: User, ended_on: datetime.date
) -> SubjectAssociation:
    """End an association between two subjects; it is kept, with the date it ended."""
    if not can_end_association(actor, association):
        raise PermissionDenied
    association = SubjectAssociation.objects.select_for_update().get(pk=association.pk)
    if association.ended_on is not None:
        raise ValidationError("This link has already ended")
    _validate_end_date(ended_on, association.linked_on)
    association.ended_on = ended_on
    association.save(update_fields=["ended_on", "updated_at"])
    return association
