"""Test overrides only."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DJANGO_HTTPS", "false")

from cre_portal.settings.base import *  # noqa: F403
from cre_portal.settings.base import STORAGES

# Argon2 is deliberately slow; tests check the production hasher list separately.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The live server cannot serve a manifest that was never collected.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = False
# Serve straight from the finders; there is no collected STATIC_ROOT in tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Keep test output readable; tests that inspect logs raise the level themselves.
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
