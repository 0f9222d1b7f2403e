"""`manage.py corporate_parenting_report`: the contract's JSON on standard output."""

import datetime
import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from referrals.codes import ExploitationType
from tests.referrals.factories import ChildFactory
from tests.reports.factories import looked_after_referral, referral

D = datetime.date

# The example in shared/DATA_EXCHANGE.md, as printed there (one line wrapped).
CONTRACT = json.loads("""
{"period": {"start": "2025-04-01", "end": "2025-09-30"},
 "referrals": {"total": 0, "cce": 0, "cse": 0, "both": 0},
 "children": {"referred": 0, "looked_after": 0, "looked_after_pct": 0.0, "placed_in": 0,
              "by_sex": {"1": 0, "2": 0},
              "by_age_band": {"0-9": 0, "10-12": 0, "13-15": 0, "16-17": 0, "18+": 0},
              "by_ethnicity_group": {"White": 0, "Mixed": 0, "Asian": 0, "Black": 0, "Other": 0,
                                     "Not known": 0},
              "by_exploitation": {"CCE": 0, "CSE": 0, "BOTH": 0},
              "looked_after_by_legal_status": {"C2": 0}},
 "missing": {"episodes": 0, "children": 0, "rhi_offered": 0, "rhi_completed": 0,
             "rhi_within_72h": 0, "rhi_within_72h_pct": 0.0},
 "risk": {"LOW": 0, "MEDIUM": 0, "HIGH": 0}}
""")
EXTRAS = ["risk_movement", "nrm", "meetings", "feedback", "tasking"]


def report(*args):
    out = StringIO()
    call_command("corporate_parenting_report", *args, stdout=out)
    return json.loads(out.getvalue())


def six_months(*args):
    return report("--start", "2025-04-01", "--end", "2025-09-30", "--format", "json", *args)


@pytest.fixture
def three_children():
    """Three children referred, one looked after: public output must hide all of them."""
    looked_after_referral(ChildFactory(), D(2025, 5, 1))
    referral(ChildFactory(), D(2025, 6, 1))
    referral(ChildFactory(), D(2025, 7, 1), ExploitationType.CSE)


@pytest.mark.django_db
def test_prints_the_contracts_sections_and_keys_in_its_order_then_the_extras():
    printed = six_months("--exact")

    assert list(printed) == [*CONTRACT, *EXTRAS]
    for section, keys in CONTRACT.items():
        expected = [key for key in keys if key != "looked_after_by_legal_status"]
        shown = [key for key in printed[section] if key != "looked_after_by_legal_status"]
        assert shown == expected, section
        for key, value in keys.items():
            if isinstance(value, dict) and key != "looked_after_by_legal_status":
                assert list(printed[section][key]) == list(value), key


@pytest.mark.django_db
def test_an_empty_period_prints_the_contracts_zeros():
    printed = six_months()

    contract = json.loads(json.dumps(CONTRACT))
    contract["children"]["looked_after_by_legal_status"] = {}
    assert {section: printed[section] for section in CONTRACT} == contract


@pytest.mark.django_db
def test_exact_prints_small_numbers(three_children):
    printed = six_months("--exact")

    assert printed["referrals"] == {"total": 3, "cce": 2, "cse": 1, "both": 0}
    assert printed["children"]["looked_after"] == 1
    assert printed["children"]["looked_after_pct"] == 33.3
    assert printed["children"]["looked_after_by_legal_status"] == {"C2": 1}


@pytest.mark.django_db
def test_without_exact_small_numbers_are_hidden(three_children):
    printed = six_months()

    assert printed["referrals"] == {"total": "<5", "cce": "<5", "cse": "<5", "both": 0}
    assert printed["children"]["looked_after"] == "<5"
    assert printed["children"]["looked_after_pct"] == "<5"
    assert printed["children"]["looked_after_by_legal_status"] == {"C2": "<5"}


def test_the_start_must_not_be_after_the_end():
    with pytest.raises(CommandError, match="start date must be the same as or before the end"):
        report("--start", "2025-10-01", "--end", "2025-09-30")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2025-13-01", "--end", "2025-12-31"], "'2025-13-01' is not a date"),
        (["--start", "1/4/2025", "--end", "2025-12-31"], "enter it as YYYY-MM-DD"),
        (["--end", "2025-12-31"], "--start"),
        (["--start", "2025-01-01", "--end", "2025-12-31", "--format", "pdf"], "invalid choice"),
    ],
)
def test_bad_arguments_are_refused(args, message):
    with pytest.raises(CommandError, match=message):
        report(*args)


def test_a_refused_period_exits_non_zero():
    # Refused before any query, so no database is needed.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cre_portal.settings.test"}
    command = [sys.executable, "manage.py", "corporate_parenting_report"]
    command += ["--start", "2025-10-01", "--end", "2025-09-30"]

    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        command, capture_output=True, text=True, env=env, cwd=settings.BASE_DIR, check=False
    )

    assert result.returncode != 0
    assert "start date must be the same as or before the end date" in result.stderr
    assert result.stdout == ""
