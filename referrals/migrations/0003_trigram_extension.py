from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_grant_child_capabilities")]

    operations = [TrigramExtension()]
