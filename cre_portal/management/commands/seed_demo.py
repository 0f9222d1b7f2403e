import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cre_portal.demo import seed


class Command(BaseCommand):
    help = "Load synthetic demo data (idempotent) and print the demo sign-ins."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is only loaded when CRE_DEMO_MODE is true.")
        users, password = seed(os.environ.get("CRE_DEMO_PASSWORD"))
        self.stdout.write("Demo sign-ins (synthetic accounts; no second factor in demo mode):")
        for user in users:
            roles = ", ".join(g.name for g in user.groups.all())
            self.stdout.write(f"  {user.email:<48} {roles}")
        self.stdout.write(f"Password for every demo account: {password}")
