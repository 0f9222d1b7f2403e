from django.apps import AppConfig


class CrePortalConfig(AppConfig):
    name = "cre_portal"
    verbose_name = "CRE Portal"
