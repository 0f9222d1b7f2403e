"""Default wording of the committee paper's sections, seeded into the editable templates.

Each text may use the placeholders in `reports.renderers.paper_text.PLACEHOLDERS`, written as
`{referrals_total}`. A blank line starts a new paragraph; a line starting "- " is a bullet.
"""

# (key, heading) in the order of the council's committee paper.
PAPER_SECTIONS: tuple[tuple[str, str], ...] = (
    ("purpose", "Purpose of the report"),
    ("recommendations", "Recommendations"),
    ("reasons", "Reasons for the recommendations"),
    ("supporting_information", "Supporting information"),
    ("engagement", "Public and stakeholder engagement"),
    ("other_options", "Other options considered"),
    ("financial", "Financial implications"),
    ("legal", "Legal implications"),
    ("climate", "Climate implications"),
    ("other_implications", "Other implications"),
)

SIGN_OFF_ROLES: tuple[str, ...] = ("Report author", "Director", "Legal", "Finance")

DEFAULT_PAPER_SECTIONS: dict[str, str] = {
    "purpose": (
        "This report tells the Committee how the council and its partners are protecting "
        "children from criminal and sexual exploitation, for the period {period}. It compares "
        "each figure with the previous period, {previous_period}."
    ),
    "recommendations": (
        "The Committee is asked to:\n"
        "- note the number of referrals about child exploitation ({referrals_total}) and the "
        "profile of the {children_referred} children referred;\n"
        "- note that {looked_after_pct} of the children referred were looked after, including "
        "children placed in our area by other local authorities;\n"
        "- note the timeliness of return home interviews after missing episodes "
        "({rhi_within_72h_pct} within 72 hours);\n"
        "- ask for a further report in six months."
    ),
    "reasons": (
        "As corporate parents, members need to know how well children in the council's care are "
        "protected from exploitation, and whether the help offered to them is timely. This "
        "six-monthly report gives the Committee the figures to ask those questions."
    ),
    "supporting_information": (
        "There were {referrals_total} referrals about child exploitation in the period "
        "({referrals_cce} about criminal exploitation, {referrals_cse} about sexual exploitation "
        "and {referrals_both} about both), compared with {previous_referrals_total} in the "
        "previous period. They concerned {children_referred} children, of whom {looked_after} "
        "were looked after.\n\n"
        "{missing_episodes} missing episodes ended in the period; {rhi_within_72h_pct} of them "
        "were followed by a return home interview within 72 hours. At their latest risk "
        "assessment, {risk_high} of the children referred were at high risk.\n\n"
        "The figures, charts and definitions follow. {figures_note}"
    ),
    "engagement": (
        "Children's views are sought at every professionals' meeting, and children, parents and "
        "carers are asked for feedback afterwards. {feedback_responses} evaluation forms were "
        "answered in the period."
    ),
    "other_options": (
        "None. The Committee receives this report every six months as part of its work programme."
    ),
    "financial": "There are no direct financial implications arising from this report.",
    "legal": (
        "The council has duties to safeguard and promote the welfare of children under the "
        "Children Act 1989 and the Children Act 2004, and to act as a corporate parent under the "
        "Children and Social Work Act 2017. Figures are published in a form that does not "
        "identify any child, in line with the UK General Data Protection Regulation."
    ),
    "climate": "There are no climate implications arising from this report.",
    "other_implications": (
        "Equalities: the breakdowns by sex, age and ethnicity help the Committee see whether "
        "any group of children is over-represented. There are no other implications."
    ),
}
