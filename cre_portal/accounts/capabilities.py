"""Granting capabilities (model permissions) to roles from data migrations."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions


def grant_capabilities(apps: Any, grants: dict[str, list[str]]) -> None:
    """Give each role (group name) the listed "app_label.codename" permissions."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    labels = {perm.split(".")[0] for perms in grants.values() for perm in perms}
    # Permissions are normally made after migrate finishes; make them now so they can be granted.
    for label in labels:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    for role, perms in grants.items():
        group, _ = group_model.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke_capabilities(apps: Any, grants: dict[str, list[str]]) -> None:
    """The reverse of grant_capabilities."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, perms in grants.items():
        group = group_model.objects.filter(name=role).first()
        for perm in perms if group else []:
            app_label, codename = perm.split(".")
            group.permissions.remove(
                *permission_model.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
