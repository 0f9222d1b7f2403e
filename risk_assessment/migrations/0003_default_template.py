"""The default CRE risk assessment template, version 1, published.

Administrators make later versions by copying the current one and editing the copy; this file
only seeds the first. Indicator codes are the keys "what changed" compares across versions, so
later versions keep a code for as long as they ask the same question.
"""

from django.db import migrations
from django.utils import timezone

VERSION = 1
NAME = "CRE risk assessment"
# A score at or above these gives Medium / High; a significant indicator present gives High.
MEDIUM_THRESHOLD = 6
HIGH_THRESHOLD = 15

# Each row: domain, code, wording, guidance, weight, and whether it is significant on its own.
INDICATORS = [
    # Missing and running away
    (
        "MISSING",
        "missing-from-home-or-care",
        "Has gone missing from home or care",
        "Any missing or away episode in the last six months, however short.",
        2,
        False,
    ),
    (
        "MISSING",
        "repeat-missing",
        "Has gone missing three or more times in the last 90 days",
        "Count every episode reported to the police or recorded by carers.",
        3,
        False,
    ),
    (
        "MISSING",
        "found-out-of-area",
        "Found out of area or staying out overnight with no explanation",
        "Include being found in another town, or returning the next day without saying where they were.",
        3,
        False,
    ),
    (
        "MISSING",
        "no-account-of-missing",
        "Gives no account of where they were or who they were with",
        "Including refusing a return home interview or giving accounts that do not fit what is known.",
        2,
        False,
    ),
    # Associates and relationships
    (
        "ASSOCIATES",
        "older-or-unknown-associates",
        "Spends time with older young people or adults the family does not know",
        "",
        3,
        False,
    ),
    (
        "ASSOCIATES",
        "unknown-vehicles",
        "Picked up or dropped off in cars by unknown adults",
        "Note registration numbers and descriptions in the evidence where known.",
        3,
        False,
    ),
    (
        "ASSOCIATES",
        "exploited-peers",
        "Friends with young people known or believed to be exploited",
        "",
        2,
        False,
    ),
    (
        "ASSOCIATES",
        "gang-or-county-lines",
        "Linked to a gang, group or county lines operation",
        "Police intelligence, the child's own account, or what peers, family or professionals report.",
        3,
        False,
    ),
    (
        "ASSOCIATES",
        "controlling-relationship",
        "In a relationship with a much older, controlling or violent partner",
        "",
        3,
        False,
    ),
    (
        "ASSOCIATES",
        "disclosed-sexual-exploitation",
        "Has disclosed sexual exploitation or sexual abuse",
        "A disclosure to anyone, including a partial or later retracted one. On its own this makes the level High.",
        5,
        True,
    ),
    # Money, gifts and debts
    ("MONEY", "unexplained-money", "Has money they cannot account for", "", 2, False),
    (
        "MONEY",
        "unexplained-phones",
        "Has more than one phone, or new phones or SIM cards they cannot explain",
        "",
        2,
        False,
    ),
    (
        "MONEY",
        "unexplained-gifts",
        "Has new clothes, trainers, jewellery or gifts they cannot explain",
        "",
        2,
        False,
    ),
    (
        "MONEY",
        "owes-a-debt",
        "Owes a debt, such as a drug debt, or is being made to work one off",
        "Include debts after being robbed of drugs or money they were holding for someone.",
        3,
        False,
    ),
    (
        "MONEY",
        "drugs-or-cash-out-of-area",
        "Found with a large amount of drugs or cash out of area",
        "On its own this makes the level High.",
        5,
        True,
    ),
    # Places and travel
    (
        "PLACES",
        "hotels-or-short-lets",
        "Seen at or staying in hotels or short-let flats",
        "",
        3,
        False,
    ),
    (
        "PLACES",
        "adult-parties",
        "Goes to parties or gatherings where adults supply drugs or alcohol",
        "",
        3,
        False,
    ),
    (
        "PLACES",
        "businesses-of-concern",
        "Spends time at takeaways, shops, taxi firms or other businesses of concern",
        "Name the places in the evidence so they can be raised at tasking.",
        2,
        False,
    ),
    (
        "PLACES",
        "unexplained-travel",
        "Travels to other towns with no explanation, including by train or coach",
        "",
        3,
        False,
    ),
    (
        "PLACES",
        "trap-house-or-cuckooed-address",
        "Found in a trap house or a cuckooed address",
        "On its own this makes the level High.",
        5,
        True,
    ),
    # Education
    (
        "EDUCATION",
        "poor-attendance",
        "Attendance has dropped, or they are often absent without explanation",
        "",
        2,
        False,
    ),
    ("EDUCATION", "excluded", "Suspended, excluded or on a reduced timetable", "", 2, False),
    (
        "EDUCATION",
        "off-rolled",
        "Not on a school roll, off-rolled or in alternative provision",
        "",
        2,
        False,
    ),
    # Health
    (
        "HEALTH",
        "unexplained-injuries",
        "Has injuries they will not or cannot explain",
        "",
        3,
        False,
    ),
    (
        "HEALTH",
        "sexual-health-concerns",
        "Has a sexually transmitted infection, repeat tests or emergency contraception",
        "",
        3,
        False,
    ),
    ("HEALTH", "pregnancy", "Is or has been pregnant, or has had a termination", "", 2, False),
    ("HEALTH", "substance-misuse", "Misuses drugs or alcohol", "", 2, False),
    (
        "HEALTH",
        "self-harm-or-mental-health",
        "Self-harms or has mental health concerns",
        "",
        2,
        False,
    ),
    # Behaviour and offending
    (
        "BEHAVIOUR",
        "offending",
        "Has been arrested or charged, especially for drugs, theft or violence",
        "",
        2,
        False,
    ),
    ("BEHAVIOUR", "weapons", "Carries or has access to a knife or other weapon", "", 3, False),
    (
        "BEHAVIOUR",
        "secrecy",
        "Secretive about where they go, who they are with or who contacts them",
        "Include sudden changes in behaviour, mood or appearance.",
        1,
        False,
    ),
    # Online
    (
        "ONLINE",
        "online-grooming",
        "Contacted online by unknown adults or pressured to meet people met online",
        "",
        3,
        False,
    ),
    (
        "ONLINE",
        "sharing-images",
        "Sexual images of the child have been shared, or they have been pressured to send them",
        "",
        3,
        False,
    ),
    (
        "ONLINE",
        "online-drug-or-gang-activity",
        "Uses social media accounts linked to drug dealing, gangs or selling sex",
        "",
        2,
        False,
    ),
    # Vulnerabilities
    (
        "VULNERABILITY",
        "care-history",
        "Is or has been looked after, or has moved placement recently",
        "",
        1,
        False,
    ),
    (
        "VULNERABILITY",
        "family-violence",
        "Lives or has lived with domestic abuse or family violence",
        "",
        1,
        False,
    ),
    (
        "VULNERABILITY",
        "learning-needs",
        "Has a learning disability, autism or communication needs",
        "",
        1,
        False,
    ),
    (
        "VULNERABILITY",
        "bereavement-or-loss",
        "Has had a bereavement or another significant loss",
        "",
        1,
        False,
    ),
    (
        "VULNERABILITY",
        "isolation",
        "Is isolated from family or friends, or feels they do not belong",
        "",
        1,
        False,
    ),
]


def create_default_template(apps, schema_editor):
    template_model = apps.get_model("risk_assessment", "AssessmentTemplate")
    indicator_model = apps.get_model("risk_assessment", "TemplateIndicator")
    if template_model.objects.filter(version=VERSION).exists():
        return
    template = template_model.objects.create(
        version=VERSION,
        name=NAME,
        medium_threshold=MEDIUM_THRESHOLD,
        high_threshold=HIGH_THRESHOLD,
        published_at=timezone.now(),
    )
    indicator_model.objects.bulk_create(
        indicator_model(
            template=template,
            domain=domain,
            code=code,
            text=text,
            guidance=guidance,
            weight=weight,
            is_significant=significant,
            position=(number + 1) * 10,
        )
        for number, (domain, code, text, guidance, weight, significant) in enumerate(INDICATORS)
    )


def remove_default_template(apps, schema_editor):
    # Assessments keep the version they were made with: an assessment on version 1 keeps it.
    template_model = apps.get_model("risk_assessment", "AssessmentTemplate")
    assessment_model = apps.get_model("risk_assessment", "Assessment")
    template = template_model.objects.filter(version=VERSION).first()
    if template is None or assessment_model.objects.filter(template=template).exists():
        return
    apps.get_model("risk_assessment", "TemplateIndicator").objects.filter(
        template=template
    ).delete()
    template.delete()


class Migration(migrations.Migration):
    dependencies = [("risk_assessment", "0002_grant_assessment_capabilities")]

    operations = [migrations.RunPython(create_default_template, remove_default_template)]
