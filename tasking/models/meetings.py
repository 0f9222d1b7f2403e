"""Tasking meetings, their agendas built from the data, actions (immediate or covert) and
escalations to the tier above."""

import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q

from cre_portal.models import BaseModel
from referrals.models import Child
from tasking.models.groups import TaskingGroup
from tasking.models.subjects import SubjectOfConcern


@pghistory.track()
class TaskingMeeting(BaseModel):
    class Status(models.TextChoices):
        PLANNED = "PLANNED", "Planned: agenda in draft"
        PUBLISHED = "PUBLISHED", "Agenda published"
        HELD = "HELD", "Held"
        CANCELLED = "CANCELLED", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(TaskingGroup, on_delete=models.PROTECT, related_name="meetings")
    scheduled_for = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-scheduled_for"]
        permissions = [("chair_tasking", "Chair tasking meetings: agendas, minutes, actions")]
        indexes = [models.Index(fields=["group", "-scheduled_for"], name="tmeeting_group_time")]

    def __str__(self) -> str:
        return f"Tasking meeting {self.pk}"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(TaskingMeeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(default=True)

    class Meta:
        ordering = ["meeting", "user"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once")]

    def __str__(self) -> str:
        return f"Attendance {self.pk}"


@pghistory.track()
class AgendaItem(BaseModel):
    class Kind(models.TextChoices):
        NEW_HIGH_RISK = "NEW_HIGH_RISK", "Newly assessed high risk"
        REPEAT_MISSING = "REPEAT_MISSING", "Repeat missing"
        OVERDUE_RHI = "OVERDUE_RHI", "Overdue return home interview"
        CLUSTER = "CLUSTER", "Subject linked to several children"
        ACTION_DUE = "ACTION_DUE", "Action due or overdue"
        ESCALATION = "ESCALATION", "Escalated from the tier below"
        OTHER = "OTHER", "Added by the chair"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        TaskingMeeting, on_delete=models.PROTECT, related_name="agenda_items"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    subject = models.ForeignKey(
        SubjectOfConcern,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    action = models.ForeignKey(
        "Action", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    escalation = models.ForeignKey(
        "Escalation", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    # Made from codes and references by the agenda builder; the chair may reword it.
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    # The chair may drop a proposed item before publishing; it stays for the record.
    is_included = models.BooleanField(default=True)
    minutes = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "position", "created_at"]

    def __str__(self) -> str:
        return f"Agenda item {self.pk}"


class Tactic(models.TextChoices):
    """Families of the Home Office child exploitation disruption toolkit."""

    ABDUCTION_TRAFFICKING = "ABDUCTION_TRAFFICKING", "Abduction and trafficking"
    SEXUAL_OFFENCES = "SEXUAL_OFFENCES", "Sexual offences"
    LOCATIONS = "LOCATIONS", "Locations of concern"
    HARMFUL_BEHAVIOUR = "HARMFUL_BEHAVIOUR", "Harmful behaviour"
    VICTIM_CARE = "VICTIM_CARE", "Victim care"


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> "ActionQuerySet":
        return self.filter(status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS])


@pghistory.track()
class Action(BaseModel):
    class Nature(models.TextChoices):
        IMMEDIATE = "IMMEDIATE", "Immediate"
        COVERT = "COVERT", "Covert"

    class Status(models.TextChoices):
        OPEN = "OPEN", "Open"
        IN_PROGRESS = "IN_PROGRESS", "In progress"
        DONE = "DONE", "Done"
        CANCELLED = "CANCELLED", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(TaskingGroup, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(
        TaskingMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="tasking_actions"
    )
    subject = models.ForeignKey(
        SubjectOfConcern, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField()
    tactic = models.CharField(max_length=25, choices=Tactic.choices)
    tactic_detail = models.CharField(max_length=150, blank=True)
    # Covert actions are sealed: only cleared members of the group and its chair know they exist.
    nature = models.CharField(max_length=10, choices=Nature.choices)
    owner_agency = models.CharField(max_length=20)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasking_actions",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["group", "status", "due_on"], name="taction_group_due"),
            models.Index(fields=["nature"], name="taction_nature"),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}"


@pghistory.track()
class Escalation(BaseModel):
    class Status(models.TextChoices):
        RAISED = "RAISED", "Raised"
        ON_AGENDA = "ON_AGENDA", "On the agenda"
        DECIDED = "DECIDED", "Decided"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    from_group = models.ForeignKey(
        TaskingGroup, on_delete=models.PROTECT, related_name="escalations_raised"
    )
    to_group = models.ForeignKey(
        TaskingGroup, on_delete=models.PROTECT, related_name="escalations_received"
    )
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.PROTECT)
    subject = models.ForeignKey(SubjectOfConcern, null=True, blank=True, on_delete=models.PROTECT)
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.PROTECT)
    reason = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RAISED)
    outcome = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(child__isnull=False, subject__isnull=True, action__isnull=True)
                    | Q(child__isnull=True, subject__isnull=False, action__isnull=True)
                    | Q(child__isnull=True, subject__isnull=True, action__isnull=False)
                ),
                name="escalation_of_exactly_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"Escalation {self.pk}"
