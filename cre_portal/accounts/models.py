"""Users, teams and agencies. Roles are Django groups named by `roles.Role`."""

import uuid
from typing import Any

import pghistory
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils.crypto import salted_hmac

from cre_portal.models import BaseModel


class Agency(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "CSC", "Children's social care"
    POLICE = "POLICE", "Police"
    HEALTH = "HEALTH", "Health"
    EDUCATION = "EDUCATION", "Education"
    YOUTH_JUSTICE = "YOUTH_JUSTICE", "Youth justice"
    VOLUNTARY_SECTOR = "VOLUNTARY", "Voluntary sector"


@pghistory.track()
class Team(BaseModel):
    name = models.CharField(max_length=120, unique=True)
    agency = models.CharField(max_length=20, choices=Agency.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


@pghistory.track(exclude=["password", "last_login"])
class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    agency = models.CharField(
        max_length=20, choices=Agency.choices, default=Agency.CHILDRENS_SOCIAL_CARE
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    # Synthetic demo accounts may skip MFA, and only while the app runs in demo mode.
    is_demo = models.BooleanField(default=False)
    # Rotated when access changes, which ends every session the user holds.
    security_stamp = models.UUIDField(default=uuid.uuid4, editable=False)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        permissions = [("manage_users", "Manage users, teams and roles")]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def has_role(self, role: str) -> bool:
        """Whether the user belongs to the role's group (uses the prefetched groups)."""
        return any(group.name == role for group in self.groups.all())

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django compares this on every request; mixing in the stamp lets us end sessions.
        return salted_hmac(
            "cre_portal.accounts.User.session",
            f"{self.password}:{self.security_stamp}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


@pghistory.track()
class AudienceMembership(models.Model):
    """The user belongs to an audience records can be shared with, e.g. a tasking group.

    Kept by the app that owns the audience ("tasking:<group id>"); the row is deleted when the
    user leaves, which ends their sight of everything shared with that audience at once.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="audiences")
    audience = models.CharField(max_length=80)

    class Meta:
        ordering = ["audience", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "audience"], name="audience_membership_once")
        ]
        indexes = [models.Index(fields=["audience"], name="audience_membership_audience")]

    def __str__(self) -> str:
        return self.audience
