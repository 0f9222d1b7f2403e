"""Roles are Django groups; this is the one list of their names."""

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    CP_MANAGER = "cp_manager", "Child protection manager"
    MISSING_OFFICER = "missing_officer", "Missing team officer"
    TASKING_CHAIR = "tasking_chair", "Tasking chair"
    PARTNER_MEMBER = "partner_member", "Partner agency member"
    ANALYST = "analyst", "Analyst"
    DIRECTOR = "director", "Director"
    ADMINISTRATOR = "administrator", "Administrator"


MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.CP_MANAGER})
