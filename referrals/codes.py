"""National code lists (CIN census, SSDA903) used natively, so data lines up with the returns."""

from django.db import models


class Sex(models.TextChoices):
    MALE = "1", "Male"
    FEMALE = "2", "Female"


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    CHNE = "CHNE", "Chinese"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


ETHNICITY_GROUPS: dict[str, tuple[str, ...]] = {
    "White": ("WBRI", "WIRI", "WIRT", "WOTH", "WROM"),
    "Mixed": ("MWBC", "MWBA", "MWAS", "MOTH"),
    "Asian": ("AIND", "APKN", "ABAN", "AOTH", "CHNE"),
    "Black": ("BCRB", "BAFR", "BOTH"),
    "Other": ("OOTH",),
    "Not known": ("REFU", "NOBT"),
}


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism or Asperger syndrome"
    DDA = "DDA", "Other disability (Equality Act)"


class CareStatus(models.TextChoices):
    LAC = "LAC", "Looked after"
    CP = "CP", "Child protection plan"
    CIN = "CIN", "Child in need"
    EARLY_HELP = "EARLY_HELP", "Early help"
    NONE = "NONE", "None"


class LegalStatus(models.TextChoices):
    C1 = "C1", "C1 Interim care order"
    C2 = "C2", "C2 Full care order"
    D1 = "D1", "D1 Freeing order"
    E1 = "E1", "E1 Placement order"
    V2 = "V2", "V2 Single period of accommodation under section 20"
    V3 = "V3", "V3 Accommodated under an agreed series of short-term breaks"
    V4 = "V4", "V4 Short-term breaks (individual episodes)"
    L1 = "L1", "L1 Under police protection"
    L2 = "L2", "L2 Emergency protection order"
    L3 = "L3", "L3 Child assessment order"
    J1 = "J1", "J1 Remanded to LA or youth detention accommodation"
    J2 = "J2", "J2 Placed in LA accommodation under PACE"
    J3 = "J3", "J3 Youth rehabilitation order with residence or fostering requirement"


class PlacementType(models.TextChoices):
    A3 = "A3", "A3 Placed for adoption with parental consent with current foster carer"
    A4 = "A4", "A4 Placed for adoption with parental consent not with current foster carer"
    A5 = "A5", "A5 Placed for adoption with placement order with current foster carer"
    A6 = "A6", "A6 Placed for adoption with placement order not with current foster carer"
    H5 = "H5", "H5 Semi-independent living accommodation"
    K1 = "K1", "K1 Secure children's home"
    K2 = "K2", "K2 Children's home"
    P1 = "P1", "P1 Placed with own parent(s) or person with parental responsibility"
    P2 = "P2", "P2 Independent living"
    P3 = "P3", "P3 Residential employment"
    R1 = "R1", "R1 Residential care home"
    R2 = "R2", "R2 NHS or health trust residential establishment"
    R3 = "R3", "R3 Family centre or mother and baby unit"
    R5 = "R5", "R5 Young offender institution or prison"
    S1 = "S1", "S1 Residential school"
    T0 = "T0", "T0 Temporary placement (unspecified)"
    T1 = "T1", "T1 Temporary: away from normal placement (hospital)"
    T2 = "T2", "T2 Temporary: holiday"
    T3 = "T3", "T3 Temporary: other"
    T4 = "T4", "T4 Temporary: respite"
    U1 = "U1", "U1 Foster placement with relative or friend (long term)"
    U2 = "U2", "U2 Foster placement with relative or friend (FFA or concurrent)"
    U3 = "U3", "U3 Foster placement with relative or friend (not long term or FFA)"
    U4 = "U4", "U4 Foster placement with other foster carer (long term)"
    U5 = "U5", "U5 Foster placement with other foster carer (FFA or concurrent)"
    U6 = "U6", "U6 Foster placement with other foster carer (not long term or FFA)"
    Z1 = "Z1", "Z1 Other placement"


class ReferralSource(models.TextChoices):
    FAMILY = "1A", "1A Family member, relative or carer"
    ACQUAINTANCE = "1B", "1B Acquaintance"
    SELF = "1C", "1C Self"
    OTHER_INDIVIDUAL = "1D", "1D Other individual"
    SCHOOL = "2A", "2A School"
    OTHER_EDUCATION = "2B", "2B Education services"
    GP = "3A", "3A GP"
    HEALTH_VISITOR = "3B", "3B Health visitor"
    SCHOOL_NURSE = "3C", "3C School nurse"
    OTHER_PRIMARY_HEALTH = "3D", "3D Other primary health services"
    A_AND_E = "3E", "3E A&E"
    OTHER_HEALTH = "3F", "3F Other health services"
    HOUSING = "4", "4 Housing"
    LA_CSC = "5A", "5A LA children's social care"
    LA_INTERNAL = "5B", "5B Other internal LA service (for example youth justice)"
    OTHER_LA = "5C", "5C Another local authority"
    EARLY_HELP = "5D", "5D Early help"
    POLICE = "6", "6 Police"
    LEGAL_AGENCY = "7", "7 Other legal agency"
    OTHER = "8", "8 Other"
    ANONYMOUS = "9", "9 Anonymous"
    UNKNOWN = "10", "10 Unknown"


class ExploitationType(models.TextChoices):
    CCE = "CCE", "Criminal exploitation (CCE)"
    CSE = "CSE", "Sexual exploitation (CSE)"
    BOTH = "BOTH", "Both criminal and sexual exploitation"


class MissingKind(models.TextChoices):
    MISSING = "M", "Missing (whereabouts unknown)"
    AWAY = "A", "Away without authorisation (whereabouts known)"


class PoliceRisk(models.TextChoices):
    NO_APPARENT_RISK = "NO_APPARENT_RISK", "No apparent risk (absent)"
    LOW = "LOW", "Low"
    MEDIUM = "MEDIUM", "Medium"
    HIGH = "HIGH", "High"


class RhiOffered(models.TextChoices):
    YES = "Y", "Yes"
    NO = "N", "No"
    NOT_APPLICABLE = "NA", "Not applicable"


class ExploitationIndicator(models.TextChoices):
    """Indicators screened in a return home interview (the CRE screen)."""

    OLDER_ASSOCIATES = "OLDER_ASSOCIATES", "Older or unknown associates"
    UNEXPLAINED_MONEY = "UNEXPLAINED_MONEY", "Unexplained money, phones, clothes or gifts"
    DRUG_DEBT = "DRUG_DEBT", "Drug debt or carrying drugs"
    GANG_LINKS = "GANG_LINKS", "Gang or county lines links"
    TRAVEL_OUT_OF_AREA = "TRAVEL_OUT_OF_AREA", "Travelled out of area"
    RISKY_PLACES = "RISKY_PLACES", "Hotels, parties, trap houses or other risky places"
    SEXUAL_HARM = "SEXUAL_HARM", "Sexual activity, assault or sharing images"
    INJURIES = "INJURIES", "Unexplained injuries"
    SUBSTANCE_MISUSE = "SUBSTANCE_MISUSE", "Alcohol or drug use"
    WEAPONS = "WEAPONS", "Weapons"
    ONLINE_GROOMING = "ONLINE_GROOMING", "Online grooming or contact"
    VEHICLES = "VEHICLES", "Picked up in unknown vehicles"


class RiskLevel(models.TextChoices):
    """The outcome of the CRE risk assessment; recorded on the child by the assessment service."""

    LOW = "LOW", "Low"
    MEDIUM = "MEDIUM", "Medium"
    HIGH = "HIGH", "High"
