from django.db import migrations

FILL = """
UPDATE referrals_child
SET search_text = lower(concat_ws(' ', first_name, last_name, array_to_string(known_as, ' '), child_ref))
"""


class Migration(migrations.Migration):
    dependencies = [("referrals", "0004_case_work")]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop)]
