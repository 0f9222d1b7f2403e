from django.apps import AppConfig


class TaskingConfig(AppConfig):
    name = "tasking"
