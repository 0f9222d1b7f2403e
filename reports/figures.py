"""The figures of the Corporate Parenting report, counted in PostgreSQL (shared/DATA_EXCHANGE.md).

Seven aggregate queries, whatever the number of rows. Per-child facts come from window functions
over the period's rows (first referral, first looked-after referral, latest two assessments), then
filtered counts over one row per child. Python only shapes the result.

Figures here are exact; `reports.suppression.suppress` makes the public version.

Beyond the contract, and documented here because DATA_EXCHANGE.md doesn't define them:
- `risk_movement`: referred children with two or more completed assessments by the period end,
  comparing their latest level with the one before (`up`, `down`, `same`).
- `nrm`: NRM referrals made in the period (`referred_on`), and reasonable / conclusive grounds
  decisions dated in the period, positive and negative.
- `meetings`: professionals' meetings held (status HELD) whose London date is in the period; of
  them, with the child's views recorded, attended by the child, attended by parents.
- `feedback`: evaluation forms answered (London date of the answer) in the period, by respondent,
  and the mean rating (1 to 4) of each question; `None` when there are no answers.
An assessment counts as completed once approved (it then has a level and a completed date), or
when it is imported history (origin IMPORT) with a level and a completed date, whatever its status.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Sum, Window
from django.db.models.functions import FirstValue, Lead, RowNumber

from referrals.codes import ETHNICITY_GROUPS, ExploitationType, LegalStatus, RhiOffered, RiskLevel
from referrals.models import Decision, MissingEpisode, NrmReferral, Referral
from risk_assessment.models import Assessment, FeedbackLink, FeedbackResponse, ProfessionalsMeeting
from tasking.models import (
    Action,
    ChildSubjectLink,
    Escalation,
    SubjectOfConcern,
    Tactic,
    TaskingMeeting,
)

LONDON = ZoneInfo("Europe/London")
RHI_WITHIN = datetime.timedelta(hours=72)
# Inclusive bounds of each age band, in whole years; an impossible age (a date of birth after
# the referral) falls in the youngest band so the bands still add up to the children referred.
AGE_BANDS = {
    "0-9": (None, 9),
    "10-12": (10, 12),
    "13-15": (13, 15),
    "16-17": (16, 17),
    "18+": (18, None),
}
FEEDBACK_QUESTIONS = ("listened_to", "understood", "helped")
LEVELS = list(RiskLevel.values)  # LOW, MEDIUM, HIGH: in rising order
COMPLETED_ASSESSMENT = (
    Q(completed_on__isnull=False)
    & ~Q(level="")
    & (Q(status=Assessment.Status.APPROVED) | Q(origin=Assessment.Origin.IMPORT))
)


class AgeInYears(Func):
    """Whole years from the second date to the first (PostgreSQL's AGE: birthdays count)."""

    template = "EXTRACT(YEAR FROM AGE(%(expressions)s))::integer"
    output_field = IntegerField()


def percent(part: int, whole: int) -> float:
    """100 * part / whole rounded half up to one decimal (not float rounding); 0.0 if no whole."""
    if not whole:
        return 0.0
    return float((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def mean(total: int | None, count: int) -> float | None:
    """The mean rounded half up to one decimal; None when there is nothing to average."""
    if not count or total is None:
        return None
    return float((Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def london_day_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """Midnight starting `start` and midnight ending `end`, London time, for datetime ranges."""
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=LONDON),
        datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=LONDON
        ),
    )


def _count(condition: Q | None = None) -> Count:
    return Count("pk", filter=condition)


# --- Referrals and children ---------------------------------------------------------------------
def _referrals_in(start: datetime.date, end: datetime.date) -> QuerySet[Referral]:
    return Referral.objects.filter(received_on__range=(start, end))


def _referral_figures(start: datetime.date, end: datetime.date) -> dict[str, int]:
    types = ExploitationType
    return _referrals_in(start, end).aggregate(
        total=_count(),
        cce=_count(Q(exploitation_type=types.CCE)),
        cse=_count(Q(exploitation_type=types.CSE)),
        both=_count(Q(exploitation_type=types.BOTH)),
    )


def _per_child(start: datetime.date, end: datetime.date) -> QuerySet[Referral]:
    """One row per referred child: their first referral in the period, with window facts."""
    first = (F("received_on").asc(), F("created_at").asc(), F("pk").asc())
    # Looked-after referrals sort first, so FIRST_VALUE gives the first looked-after one.
    first_looked_after = (F("looked_after").desc(), *first)

    def over_child(expression: Any, order: tuple[Any, ...] | None = None) -> Window:
        return Window(expression, partition_by=[F("child")], order_by=order)

    return (
        _referrals_in(start, end)
        .annotate(
            row=over_child(RowNumber(), first),
            n_referrals=over_child(Count("pk")),
            n_cce=over_child(Count("pk", filter=Q(exploitation_type=ExploitationType.CCE))),
            n_cse=over_child(Count("pk", filter=Q(exploitation_type=ExploitationType.CSE))),
            n_looked_after=over_child(Count("pk", filter=Q(looked_after=True))),
            first_legal_status=over_child(FirstValue("legal_status"), first_looked_after),
            first_placing_authority=over_child(FirstValue("placing_authority"), first_looked_after),
            # On the first row, received_on is the child's first referral in the period.
            age=AgeInYears(F("received_on"), F("child__date_of_birth")),
        )
        .filter(row=1)
    )


def _age_band(low: int | None, high: int | None) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(age__gte=low)
    if high is not None:
        condition &= Q(age__lte=high)
    return condition


def _children_counts() -> dict[str, Count]:
    """Filtered counts over the one-row-per-child query; names say which figure they feed."""
    looked_after = Q(n_looked_after__gt=0)
    counts = {
        "referred": _count(),
        "looked_after": _count(looked_after),
        "placed_in": _count(looked_after & ~Q(first_placing_authority="")),
        "exploitation_CCE": _count(Q(n_cce=F("n_referrals"))),
        "exploitation_CSE": _count(Q(n_cse=F("n_referrals"))),
    }
    counts |= {f"sex_{sex}": _count(Q(child__sex=sex)) for sex in ("1", "2")}
    # Numbered aliases: band and group names hold characters SQL aliases may not.
    counts |= {
        f"age_{i}": _count(_age_band(*bounds)) for i, bounds in enumerate(AGE_BANDS.values())
    }
    counts |= {
        f"ethnicity_{i}": _count(Q(child__ethnicity__in=codes))
        for i, codes in enumerate(ETHNICITY_GROUPS.values())
    }
    counts |= {
        f"legal_{code}": _count(looked_after & Q(first_legal_status=code))
        for code in LegalStatus.values
    }
    return counts


def _children_figures(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    row = _per_child(start, end).aggregate(**_children_counts())
    referred = row["referred"]
    one_type = row["exploitation_CCE"] + row["exploitation_CSE"]
    legal = {code: row[f"legal_{code}"] for code in LegalStatus.values}
    return {
        "referred": referred,
        "looked_after": row["looked_after"],
        "looked_after_pct": percent(row["looked_after"], referred),
        "placed_in": row["placed_in"],
        "by_sex": {sex: row[f"sex_{sex}"] for sex in ("1", "2")},
        "by_age_band": {band: row[f"age_{i}"] for i, band in enumerate(AGE_BANDS)},
        "by_ethnicity_group": {
            group: row[f"ethnicity_{i}"] for i, group in enumerate(ETHNICITY_GROUPS)
        },
        "by_exploitation": {
            "CCE": row["exploitation_CCE"],
            "CSE": row["exploitation_CSE"],
            "BOTH": referred - one_type,
        },
        "looked_after_by_legal_status": {code: n for code, n in legal.items() if n},
    }


# --- Risk -------------------------------------------------------------------------------------
def _latest_assessments(start: datetime.date, end: datetime.date) -> QuerySet[Assessment]:
    """Each referred child's latest completed assessment by `end`, with the level before it."""
    latest_first = (F("completed_on").desc(), F("created_at").desc(), F("pk").desc())

    def over_child(expression: Any) -> Window:
        return Window(expression, partition_by=[F("child")], order_by=latest_first)

    referred = _referrals_in(start, end).values("child")
    return (
        Assessment.objects.filter(COMPLETED_ASSESSMENT, child__in=referred, completed_on__lte=end)
        .annotate(row=over_child(RowNumber()), previous_level=over_child(Lead("level")))
        .filter(row=1)
    )


def _movement(direction: str) -> Q:
    """Latest level above (up), below (down) or equal to (same) the one before."""
    condition = Q()
    for rank, level in enumerate(LEVELS):
        before = {"up": LEVELS[:rank], "down": LEVELS[rank + 1 :], "same": [level]}[direction]
        if before:
            condition |= Q(level=level, previous_level__in=before)
    return condition


def _risk_figures(start: datetime.date, end: datetime.date) -> dict[str, dict[str, int]]:
    counts = {f"level_{level}": _count(Q(level=level)) for level in LEVELS}
    counts |= {f"moved_{way}": _count(_movement(way)) for way in ("up", "down", "same")}
    row = _latest_assessments(start, end).aggregate(**counts)
    return {
        "risk": {level: row[f"level_{level}"] for level in LEVELS},
        "risk_movement": {way: row[f"moved_{way}"] for way in ("up", "down", "same")},
    }


# --- Missing episodes, NRM, meetings, feedback -------------------------------------------------
def _missing_figures(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    # A range on ended_at (not a date cast) so the index on it is used; open episodes drop out.
    since, until = london_day_bounds(start, end)
    completed_at = "return_interview__completed_at"
    row = MissingEpisode.objects.filter(ended_at__gte=since, ended_at__lt=until).aggregate(
        episodes=_count(),
        children=Count("child", distinct=True),
        rhi_offered=_count(Q(rhi_offered=RhiOffered.YES)),
        rhi_completed=_count(Q(**{f"{completed_at}__isnull": False})),
        rhi_within_72h=_count(Q(**{f"{completed_at}__lte": F("ended_at") + RHI_WITHIN})),
    )
    return row | {"rhi_within_72h_pct": percent(row["rhi_within_72h"], row["episodes"])}


def _nrm_figures(start: datetime.date, end: datetime.date) -> dict[str, int]:
    days = (start, end)

    def decided(step: str, decision: str) -> Count:
        return _count(Q(**{f"{step}_on__range": days, f"{step}_decision": decision}))

    return NrmReferral.objects.aggregate(
        referred=_count(Q(referred_on__range=days)),
        reasonable_grounds_positive=decided("reasonable_grounds", Decision.POSITIVE),
        reasonable_grounds_negative=decided("reasonable_grounds", Decision.NEGATIVE),
        conclusive_grounds_positive=decided("conclusive_grounds", Decision.POSITIVE),
        conclusive_grounds_negative=decided("conclusive_grounds", Decision.NEGATIVE),
    )


def _meeting_figures(start: datetime.date, end: datetime.date) -> dict[str, int]:
    since, until = london_day_bounds(start, end)
    held = ProfessionalsMeeting.objects.filter(
        status=ProfessionalsMeeting.Status.HELD, scheduled_for__gte=since, scheduled_for__lt=until
    )
    return held.aggregate(
        held=_count(),
        child_views_obtained=_count(~Q(child_views="")),
        child_attended=_count(Q(child_attended=True)),
        parents_attended=_count(Q(parents_attended=True)),
    )


def _feedback_figures(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    since, until = london_day_bounds(start, end)
    respondents = FeedbackLink.Respondent.values
    row = FeedbackResponse.objects.filter(created_at__gte=since, created_at__lt=until).aggregate(
        responses=_count(),
        **{f"by_{who}": _count(Q(link__respondent=who)) for who in respondents},
        **{f"sum_{question}": Sum(question) for question in FEEDBACK_QUESTIONS},
    )
    return {
        "responses": row["responses"],
        "by_respondent": {who: row[f"by_{who}"] for who in respondents},
        "mean_score": {q: mean(row[f"sum_{q}"], row["responses"]) for q in FEEDBACK_QUESTIONS},
    }


def _tasking_figures(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Tasking activity. Covert actions are left out entirely: even a count reveals them."""
    since, until = london_day_bounds(start, end)
    created = Q(created_at__gte=since, created_at__lt=until)
    actions = Action.objects.filter(created, nature=Action.Nature.IMMEDIATE).aggregate(
        total=_count(),
        **{f"tactic_{t}": _count(Q(tactic=t)) for t in Tactic.values},
        **{f"status_{s}": _count(Q(status=s)) for s in Action.Status.values},
    )
    held = TaskingMeeting.objects.filter(
        status=TaskingMeeting.Status.HELD, scheduled_for__gte=since, scheduled_for__lt=until
    )
    return {
        "meetings_held": held.count(),
        "subjects_recorded": SubjectOfConcern.objects.filter(created).count(),
        "children_linked": ChildSubjectLink.objects.filter(linked_on__range=(start, end))
        .values("child")
        .distinct()
        .count(),
        "escalations": Escalation.objects.filter(created).count(),
        "immediate_actions": actions["total"],
        "actions_by_tactic": {t: actions[f"tactic_{t}"] for t in Tactic.values},
        "actions_by_status": {s: actions[f"status_{s}"] for s in Action.Status.values},
    }


# --- The report --------------------------------------------------------------------------------
def corporate_parenting_figures(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Every exact figure of the report for `start`..`end` inclusive, in the contract's order."""
    risk = _risk_figures(start, end)
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "referrals": _referral_figures(start, end),
        "children": _children_figures(start, end),
        "missing": _missing_figures(start, end),
        "risk": risk["risk"],
        "risk_movement": risk["risk_movement"],
        "nrm": _nrm_figures(start, end),
        "meetings": _meeting_figures(start, end),
        "feedback": _feedback_figures(start, end),
        "tasking": _tasking_figures(start, end),
    }


def previous_period(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The period of the same length ending the day before `start`.

    Whole calendar months compare with the same number of whole months before (April to September
    with October to March, though their days differ); any other period with as many days.
    """
    previous_end = start - datetime.timedelta(days=1)
    if start.day == 1 and (end + datetime.timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        month_index = start.year * 12 + start.month - 1 - months
        return datetime.date(month_index // 12, month_index % 12 + 1, 1), previous_end
    return previous_end - (end - start), previous_end


def report_figures(start: datetime.date, end: datetime.date) -> dict[str, dict[str, Any]]:
    """The period's exact figures and those of the period before, for comparison."""
    return {
        "current": corporate_parenting_figures(start, end),
        "previous": corporate_parenting_figures(*previous_period(start, end)),
    }
