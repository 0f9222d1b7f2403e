"""Human labels for the codes and keys of the report figures, and the wording shared by outputs."""

import datetime

from cre_portal.timescales import LONDON
from referrals.codes import ExploitationType, LegalStatus, RiskLevel, Sex

SUPPRESSED = "<5"
# Secondary suppression: a cell hidden so that a "<5" cannot be worked out from its total.
CONFIDENTIAL = "[c]"
NO_ANSWERS = "No answers"
NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION — exact figures"
SECURITY_MARKING = "OFFICIAL"
REPORT_TITLE = "Child exploitation: Corporate Parenting report"
SUPPRESSION_NOTE = (
    "To protect children's privacy, counts from 1 to 4 are shown as <5, and so are percentages "
    "and averages worked out from them. Where a hidden number could be worked out from a total, "
    "another number is hidden too and shown as [c]. A change is not shown when either figure is "
    "hidden."
)
EXACT_NOTE = (
    "These are exact figures, including counts from 1 to 4. They could identify children: do not "
    "publish them or copy them into a public paper."
)
CHANGE_NOT_SHOWN = "Not shown"

SEX = {code: str(label) for code, label in Sex.choices}
AGE_BANDS = {
    "0-9": "0 to 9",
    "10-12": "10 to 12",
    "13-15": "13 to 15",
    "16-17": "16 to 17",
    "18+": "18 and over",
}
ETHNICITY_GROUPS = {
    "White": "White",
    "Mixed": "Mixed or multiple ethnic groups",
    "Asian": "Asian or Asian British",
    "Black": "Black, Black British, Caribbean or African",
    "Other": "Other ethnic group",
    "Not known": "Not known (refused or not yet obtained)",
}
EXPLOITATION = {
    ExploitationType.CCE.value: "Criminal exploitation (CCE)",
    ExploitationType.CSE.value: "Sexual exploitation (CSE)",
    ExploitationType.BOTH.value: "Both CCE and CSE",
}
RISK_LEVELS = {code: str(label) for code, label in RiskLevel.choices}
LEGAL_STATUS = {code: str(label) for code, label in LegalStatus.choices}

REFERRALS = {
    "total": "All referrals",
    "cce": "Criminal exploitation (CCE)",
    "cse": "Sexual exploitation (CSE)",
    "both": "Both CCE and CSE",
}
CHILDREN = {
    "referred": "Children referred",
    "looked_after": "Looked after",
    "looked_after_pct": "Looked after (% of children referred)",
    "placed_in": "Placed here by another authority",
}
MISSING = {
    "episodes": "Missing episodes that ended",
    "children": "Children with a missing episode",
    "rhi_offered": "Return home interviews offered",
    "rhi_completed": "Return home interviews completed",
    "rhi_within_72h": "Completed within 72 hours",
    "rhi_within_72h_pct": "Completed within 72 hours (% of episodes)",
}
RISK_MOVEMENT = {
    "up": "Risk level went up",
    "down": "Risk level went down",
    "same": "Risk level stayed the same",
}
NRM = {
    "referred": "Referrals to the NRM",
    "reasonable_grounds_positive": "Positive reasonable grounds decisions",
    "reasonable_grounds_negative": "Negative reasonable grounds decisions",
    "conclusive_grounds_positive": "Positive conclusive grounds decisions",
    "conclusive_grounds_negative": "Negative conclusive grounds decisions",
}
MEETINGS = {
    "held": "Professionals' meetings held",
    "child_views_obtained": "With the child's views recorded",
    "child_attended": "Attended by the child",
    "parents_attended": "Attended by parents",
}
FEEDBACK = {"responses": "Evaluation forms answered"}
TASKING = {
    "meetings_held": "Tasking meetings held",
    "subjects_recorded": "Subjects of concern recorded",
    "children_linked": "Children linked to subjects of concern",
    "escalations": "Escalations to a higher tier",
    "immediate_actions": "Disruption actions agreed (immediate)",
}
FEEDBACK_RESPONDENTS = {
    "CHILD": "From children and young people",
    "PARENT": "From parents",
    "CARER": "From carers",
}
FEEDBACK_QUESTIONS = {
    "listened_to": "Average rating: felt listened to",
    "understood": "Average rating: understood what was talked about",
    "helped": "Average rating: the meeting helped",
}


def legal_status_label(code: str) -> str:
    """The 903 legal status with its meaning; an unknown code is shown as it is."""
    return LEGAL_STATUS.get(code, code)


def as_date(value: datetime.date | str) -> datetime.date:
    """Dates arrive as dates or as ISO strings (from the figures' JSON shape)."""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def period_label(start: datetime.date | str, end: datetime.date | str) -> str:
    """ "1 April 2025 to 30 September 2025"."""
    return f"{long_date(as_date(start))} to {long_date(as_date(end))}"


def short_period_label(start: datetime.date | str, end: datetime.date | str) -> str:
    """ "Apr to Sep 2025" for whole months, else "1 Apr to 15 Sep 2025" (for chart legends)."""
    first, last = as_date(start), as_date(end)
    whole_months = first.day == 1 and (last + datetime.timedelta(days=1)).day == 1
    left = f"{first:%b}" if whole_months else f"{first.day} {first:%b}"
    right = f"{last:%b %Y}" if whole_months else f"{last.day} {last:%b %Y}"
    if first.year != last.year:
        left = f"{left} {first.year}"
    return f"{left} to {right}"


def generated_label(moment: datetime.datetime) -> str:
    """ "14 October 2025 at 10:30", London time."""
    local = moment.astimezone(LONDON)
    return f"{long_date(local.date())} at {local:%H:%M}"
