"""The default CRE Offer catalogue, and the administrator's right to manage it in Django admin.

Written by hand. Local wording for a council's catalogue of support by level; administrators
change it afterwards. Reversing removes only the defaults no child's Offer has used.
"""

from django.db import migrations

from cre_portal.accounts.capabilities import grant_capabilities, revoke_capabilities

L, M, H = "LOW", "MEDIUM", "HIGH"

# (name, category, levels, default provider, description)
INTERVENTIONS = [
    (
        "Education welfare check-in",
        "EDUCATION",
        [L],
        "Education welfare service",
        "Regular check-ins by an education welfare officer on attendance and wellbeing, so that "
        "a pattern of absence is noticed early.",
    ),
    (
        "Online safety session for the child and parents",
        "EDUCATION",
        [L, M],
        "Online safety education service",
        "A session for the child and their parents or carers on online grooming, sharing images, "
        "privacy settings and how to report concerns.",
    ),
    (
        "School safety plan",
        "EDUCATION",
        [M, H],
        "School designated safeguarding lead",
        "A plan agreed with the school's designated safeguarding lead: arriving and leaving, a "
        "trusted adult in school, and what staff do if the child is missing from lessons.",
    ),
    (
        "Return to education support",
        "EDUCATION",
        [H],
        "Inclusion and alternative provision team",
        "Support back into full-time education, or a supervised alternative provision place, for "
        "a child who is excluded, on a reduced timetable or not attending.",
    ),
    (
        "Police neighbourhood team awareness",
        "POLICE",
        [M, H],
        "Neighbourhood policing team",
        "The local neighbourhood policing team is told of the concerns, on a need-to-know basis, "
        "so that officers recognise the child and the places of concern.",
    ),
    (
        "School nurse health and wellbeing conversation",
        "HEALTH",
        [L],
        "School nursing service",
        "A confidential conversation with the school nurse about health and wellbeing, with "
        "information about sexual health and drug and alcohol services.",
    ),
    (
        "Emotional wellbeing and mental health assessment",
        "HEALTH",
        [M, H],
        "Child and adolescent mental health service (CAMHS)",
        "An assessment of emotional wellbeing, trauma and self-harm by CAMHS or the mental health "
        "support team in school, with support that follows from it.",
    ),
    (
        "Young people's drug and alcohol service",
        "HEALTH",
        [M, H],
        "Young people's drug and alcohol service",
        "An assessment and one-to-one support for the child's own use of drugs or alcohol, "
        "including harm reduction.",
    ),
    (
        "Sexual health service outreach",
        "HEALTH",
        [H],
        "Young people's sexual health service",
        "Outreach by the sexual health service where the child is: confidential advice, testing, "
        "contraception and emergency contraception.",
    ),
    (
        "Specialist CRE worker (weekly)",
        "SPECIALIST",
        [M],
        "Specialist exploitation service",
        "Weekly one-to-one sessions with a specialist exploitation worker: a trusting relationship, "
        "understanding risk and healthy relationships, and safety planning with the child.",
    ),
    (
        "Intensive specialist CRE worker (2 to 3 times a week)",
        "SPECIALIST",
        [H],
        "Specialist exploitation service",
        "Intensive one-to-one work with a specialist exploitation worker two or three times a week, "
        "with contact at the times of highest risk, including evenings and weekends.",
    ),
    (
        "Strategy discussion",
        "SPECIALIST",
        [H],
        "Children's social care",
        "A multi-agency strategy discussion (social care, police, health and education) to decide "
        "on a section 47 enquiry and immediate safety actions.",
    ),
    (
        "National Referral Mechanism consideration",
        "SPECIALIST",
        [H],
        "Children's social care (first responder)",
        "Consider a referral to the National Referral Mechanism as a possible victim of modern "
        "slavery or trafficking. Children do not need to consent to a referral.",
    ),
    (
        "Safe accommodation review",
        "SPECIALIST",
        [H],
        "Children's social care",
        "A review of whether the child's home or placement keeps them safe: its location, "
        "supervision and the plan for when the child goes missing.",
    ),
    (
        "Youth club and positive activities",
        "VOLUNTARY",
        [L, M],
        "Youth service",
        "Help to join a youth club, sport, arts or other positive activity with trusted adults, "
        "giving the child safe places to be and safe friendships.",
    ),
    (
        "Mentoring by a voluntary sector youth worker",
        "VOLUNTARY",
        [M],
        "Voluntary sector mentoring partner",
        "A trusted mentor from a voluntary sector partner who meets the child regularly, "
        "including mentors with lived experience of exploitation.",
    ),
    (
        "Reachable moment youth work (hospital or custody)",
        "VOLUNTARY",
        [H],
        "Voluntary sector youth work partner",
        "A youth worker meets the child at a reachable moment, such as in hospital after an "
        "injury or in police custody, and offers support from there.",
    ),
    (
        "Information and a named contact for parents and carers",
        "FAMILY",
        [L],
        "Early help service",
        "Written information for parents and carers on the signs of exploitation and who to "
        "contact, with a named person to ask.",
    ),
    (
        "Parenting support on exploitation",
        "FAMILY",
        [M, H],
        "Family support service",
        "Sessions for parents and carers on the signs of exploitation, keeping communication open "
        "with the child, and what to do if the child goes missing.",
    ),
    (
        "Family group conference",
        "FAMILY",
        [H],
        "Family group conference service",
        "A family-led meeting that agrees a plan using the strengths of the wider family network "
        "to keep the child safe.",
    ),
    (
        "Safety mapping of places of concern",
        "DISRUPTION",
        [M],
        "Community safety partnership",
        "Mapping with the child the places where they feel unsafe, shared with community safety, "
        "transport and licensing partners so those places can be made safer.",
    ),
    (
        "Disruption of associated persons and places through tasking",
        "DISRUPTION",
        [H],
        "Operational tasking group",
        "Refer the persons, places and vehicles linked to the child to operational tasking for "
        "disruption, for example a Child Abduction Warning Notice, hotel or licensing checks, or "
        "a closure notice.",
    ),
]

# Administrators keep the catalogue in Django admin. Delete is only offered for an unused entry.
GRANTS = {
    "administrator": [
        "risk_assessment.view_intervention",
        "risk_assessment.add_intervention",
        "risk_assessment.change_intervention",
        "risk_assessment.delete_intervention",
    ]
}


def add_defaults(apps, schema_editor):
    intervention_model = apps.get_model("risk_assessment", "Intervention")
    for name, category, levels, provider, description in INTERVENTIONS:
        intervention_model.objects.get_or_create(
            name=name,
            defaults={
                "category": category,
                "levels": levels,
                "default_provider": provider,
                "description": description,
            },
        )
    grant_capabilities(apps, GRANTS)


def remove_defaults(apps, schema_editor):
    revoke_capabilities(apps, GRANTS)
    intervention_model = apps.get_model("risk_assessment", "Intervention")
    names = [entry[0] for entry in INTERVENTIONS]
    # Support that was part of a child's Offer stays: the items still point at it.
    intervention_model.objects.filter(name__in=names, offer_items__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("risk_assessment", "0003_default_template"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
