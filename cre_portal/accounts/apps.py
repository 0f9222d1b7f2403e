from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cre_portal.accounts"
    label = "accounts"

    def ready(self) -> None:
        from cre_portal.accounts import signals  # noqa: F401
