from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cre_portal.audit"
    label = "audit"
