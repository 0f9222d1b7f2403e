"""Who may see and record National Referral Mechanism referrals. The only home of these rules."""

from cre_portal.accounts.models import User
from referrals.models import Child, NrmReferral, NrmReferralQuerySet
from referrals.permissions.children import visible_children


def visible_nrm_referrals(user: User) -> NrmReferralQuerySet:
    """NRM referrals about the children the user may see, with the child loaded."""
    children = visible_children(user).values("pk")
    return NrmReferral.objects.filter(child__in=children).with_related()


def can_record_nrm(user: User, child: Child) -> bool:
    """Starting an NRM referral or recording its steps: the capability, and the child in scope."""
    if not user.has_perm("referrals.record_nrm"):
        return False
    return visible_children(user).filter(pk=child.pk).exists()
