"""Who may see and plan a child's CRE Offer. The only home of these rules."""

from django.db.models import QuerySet

from cre_portal.accounts.models import User
from referrals.models import Child
from referrals.permissions.children import visible_children
from risk_assessment.models import OfferItem


def visible_offer_items(user: User) -> QuerySet[OfferItem]:
    """Offer items about the children the user may see, with what the pages show loaded."""
    children = visible_children(user).values("pk")
    return OfferItem.objects.filter(child__in=children).select_related(
        "child", "intervention", "assessment"
    )


def can_plan_offer(user: User, child: Child) -> bool:
    """Planning and tracking the Offer: those who complete assessments, for children they see."""
    if not user.has_perm("risk_assessment.complete_assessment"):
        return False
    return visible_children(user).filter(pk=child.pk).exists()
