"""How each figure is counted, in words for a committee (the rules are in DATA_EXCHANGE.md)."""

DEFINITIONS: tuple[tuple[str, str], ...] = (
    (
        "Referrals",
        "A referral is counted in the period when it was received on or between the first and "
        "last days of the period. Referrals are counted by the type of exploitation they raised: "
        "criminal (CCE), sexual (CSE) or both.",
    ),
    (
        "Children referred",
        "Each child with at least one referral in the period is counted once, however many "
        "referrals they had. Every breakdown of children (by sex, age, ethnicity and type of "
        "exploitation) is over these children and adds up to the number referred.",
    ),
    (
        "Looked-after children",
        "A referred child counts as looked after when at least one of their referrals in the "
        "period was made while they were in care. This includes children placed in our area by "
        "another local authority, who are also counted separately as placed here. The percentage "
        "is of all children referred, rounded to one decimal place.",
    ),
    (
        "Age",
        "A child's age in whole years on the date of their first referral in the period.",
    ),
    (
        "Ethnicity",
        "Children are grouped by the Department for Education ethnicity code on their record. "
        "'Not known' covers children whose family refused to say and those for whom it has not "
        "yet been recorded.",
    ),
    (
        "Type of exploitation (children)",
        "A child is counted under criminal exploitation when all their referrals in the period "
        "were about criminal exploitation, under sexual exploitation when all were about sexual "
        "exploitation, and under both otherwise.",
    ),
    (
        "Legal status",
        "For looked-after children, the legal status (from the national looked-after children "
        "return) on their first referral in the period made while they were in care.",
    ),
    (
        "Missing episodes and return home interviews",
        "Missing episodes are counted when they ended in the period. Every child who comes back "
        "should be offered an independent return home interview within 72 hours. The percentage "
        "within 72 hours is of all episodes that ended, rounded to one decimal place.",
    ),
    (
        "Risk levels",
        "For each child referred in the period, the level of their most recent risk assessment "
        "completed by the end of the period. Children who have not been assessed are not counted.",
    ),
    (
        "Comparison with the previous period",
        "The previous period has the same length and ends the day before this period starts. "
        "Changes in percentages are shown in percentage points.",
    ),
    (
        "Small numbers",
        "In published versions of this report, counts from 1 to 4 are shown as <5 so that no "
        "child can be identified, and so is any percentage worked out from such a count.",
    ),
)
