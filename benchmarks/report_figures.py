"""Time the Corporate Parenting figures on a council-sized database. Run on demand, not in CI.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cre_portal_bench \\
        .venv/bin/python benchmarks/report_figures.py [--rebuild]

Uses its own database (`cre_portal_bench` unless DATABASE_URL names another; created and
migrated if missing). The first run fills it with bulk inserts: 100,000 children, 200,000
referrals and 100,000 missing episodes over three years, with interviews, assessments, NRM
referrals, meetings and feedback; later runs reuse it. Then it times `corporate_parenting_figures`
for a six-month period and writes the timings and each query's EXPLAIN (ANALYZE, BUFFERS) to
benchmarks/results/report_figures.txt. The data is synthetic: no real child.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "report_figures.txt"
CHILDREN, REFERRALS, EPISODES = 100_000, 200_000, 100_000
ASSESSMENTS, NRM, MEETINGS, FEEDBACK = 150_000, 5_000, 30_000, 10_000
FIRST_DAY, YEARS = datetime.date(2023, 4, 1), 3
PERIOD = (datetime.date(2025, 4, 1), datetime.date(2025, 9, 30))
BATCH = 5_000
WARM_RUNS = 5

rng = random.Random(20250401)  # noqa: S311 - synthetic data, repeatable, not security


def say(text: str) -> None:
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def bench_database_url() -> str:
    """DATABASE_URL if it names cre_portal_bench-like database, else the same server's bench db."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cre_portal_bench")
    parts = urlsplit(url)
    if "bench" not in parts.path:
        parts = parts._replace(path="/cre_portal_bench")
    return urlunsplit(parts)


def create_database(url: str, *, rebuild: bool) -> None:
    """Create the bench database on its server (dropping it first with --rebuild)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        if rebuild:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # The test settings need no secrets; nothing here depends on production settings.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cre_portal.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def random_day(first: datetime.date = FIRST_DAY, days: int = 365 * YEARS) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange(days))


def random_moment(day: datetime.date) -> datetime.datetime:
    seconds = rng.randrange(24 * 3600)
    midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
    return midnight + datetime.timedelta(seconds=seconds)


def insert(model: Any, rows: list[Any]) -> list[Any]:
    say(f"  {model.__name__}: {len(rows):,}")
    return model.objects.bulk_create(rows, batch_size=BATCH)


def build_children() -> list[Any]:
    from referrals.codes import CareStatus, Ethnicity, Sex
    from referrals.models import Child

    children = []
    for number in range(CHILDREN):
        child = Child(
            child_ref=f"BENCH-{number:06d}",
            first_name="Bench",
            last_name=f"Child{number}",
            date_of_birth=random_day(datetime.date(2005, 1, 1), 365 * 15),
            sex=rng.choice(Sex.values),
            ethnicity=rng.choice(Ethnicity.values),
            care_status=CareStatus.CIN,
        )
        child.derive_search_text()
        children.append(child)
    return insert(Child, children)


def build_referrals(children: list[Any]) -> None:
    from referrals.codes import ExploitationType, LegalStatus, ReferralSource
    from referrals.models import Referral

    referrals = []
    for number in range(REFERRALS):
        looked_after = rng.random() < 0.3
        referrals.append(
            Referral(
                referral_ref=f"BENCH-R{number:07d}",
                child=children[number % CHILDREN] if number < CHILDREN else rng.choice(children),
                received_on=random_day(),
                source=rng.choice(ReferralSource.values),
                exploitation_type=rng.choices(ExploitationType.values, weights=[55, 30, 15])[0],
                looked_after=looked_after,
                legal_status=rng.choice(LegalStatus.values) if looked_after else "",
                placing_authority="Southdale" if looked_after and rng.random() < 0.2 else "",
            )
        )
    insert(Referral, referrals)


def build_missing(children: list[Any]) -> None:
    from referrals.codes import MissingKind, RhiOffered
    from referrals.models import MissingEpisode, ReturnInterview

    episodes = []
    for number in range(EPISODES):
        started_at = random_moment(random_day())
        ended_at = started_at + datetime.timedelta(hours=rng.randrange(1, 96))
        is_open = rng.random() < 0.03
        episodes.append(
            MissingEpisode(
                episode_ref=f"BENCH-M{number:07d}",
                child=rng.choice(children),
                kind=rng.choice(MissingKind.values),
                started_at=started_at,
                ended_at=None if is_open else ended_at,
                rhi_offered=rng.choices(RhiOffered.values, weights=[85, 10, 5])[0],
                rhi_due_at=None if is_open else ended_at + datetime.timedelta(hours=72),
            )
        )
    episodes = insert(MissingEpisode, episodes)
    interviews = [
        ReturnInterview(
            episode=episode,
            completed_at=episode.ended_at + datetime.timedelta(hours=rng.randrange(1, 150)),
        )
        for episode in episodes
        if episode.ended_at and rng.random() < 0.7
    ]
    insert(ReturnInterview, interviews)


def build_assessments(children: list[Any]) -> None:
    from referrals.codes import ExploitationType, RiskLevel
    from risk_assessment.models import Assessment

    rows = [
        Assessment(
            assessment_ref=f"BENCH-A{number:07d}",
            child=rng.choice(children),
            origin=Assessment.Origin.IMPORT,
            exploitation_type=rng.choice(ExploitationType.values),
            level=rng.choice(RiskLevel.values),
            status=Assessment.Status.APPROVED,
            completed_on=random_day(),
        )
        for number in range(ASSESSMENTS)
    ]
    insert(Assessment, rows)


def build_nrm(children: list[Any]) -> None:
    from referrals.models import Decision, NrmReferral

    rows = []
    for _ in range(NRM):
        referred_on = random_day()
        decided = rng.random() < 0.8
        rows.append(
            NrmReferral(
                child=rng.choice(children),
                status=NrmReferral.Status.REFERRED,
                considered_on=referred_on,
                referred_on=referred_on,
                reasonable_grounds_decision=rng.choice(Decision.values) if decided else "",
                reasonable_grounds_on=referred_on + datetime.timedelta(days=5) if decided else None,
            )
        )
    insert(NrmReferral, rows)


def build_meetings_and_feedback(children: list[Any]) -> None:
    from cre_portal.accounts.models import User
    from referrals.codes import RiskLevel
    from risk_assessment.models import FeedbackLink, FeedbackResponse, ProfessionalsMeeting

    chair = User.objects.create_user("bench-chair@council.example", full_name="Bench Chair")
    meetings = [
        ProfessionalsMeeting(
            child=rng.choice(children),
            risk_level=rng.choice(RiskLevel.values),
            scheduled_for=random_moment(random_day()),
            chair=chair,
            status=rng.choices(ProfessionalsMeeting.Status.values, weights=[10, 80, 10])[0],
            child_views="Said what they wanted." if rng.random() < 0.7 else "",
            child_attended=rng.random() < 0.5,
            parents_attended=rng.random() < 0.6,
        )
        for _ in range(MEETINGS)
    ]
    insert(ProfessionalsMeeting, meetings)
    links = [
        FeedbackLink(
            token_hash=f"{number:064x}",
            child=rng.choice(children),
            meeting_kind=FeedbackLink.MeetingKind.CP,
            meeting_on=random_day(),
            respondent=rng.choice(FeedbackLink.Respondent.values),
            created_by=chair,
            expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
        )
        for number in range(FEEDBACK)
    ]
    ratings = FeedbackResponse.Rating.values
    questions = ("listened_to", "understood", "helped")
    answers = [
        FeedbackResponse(link=link, **{question: rng.choice(ratings) for question in questions})
        for link in insert(FeedbackLink, links)
    ]
    insert(FeedbackResponse, answers)


def build() -> None:
    """Fill the database unless an earlier run already did."""
    from django.db import connection, transaction

    from referrals.models import Child

    if Child.objects.filter(child_ref__startswith="BENCH-").count() == CHILDREN:
        say("Reusing the data from an earlier run.")
        return
    if Child.objects.exists():
        sys.exit("The bench database holds other or partial data: run again with --rebuild.")
    say("Building the data set (bulk inserts):")
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Skip the audit-history and foreign-key triggers for this load only (the figures
            # read neither; with them the insert takes hours). Needs a superuser; the rows made
            # here are consistent by construction.
            cursor.execute("SET LOCAL session_replication_role = replica")
        children = build_children()
        build_referrals(children)
        build_missing(children)
        build_assessments(children)
        build_nrm(children)
        build_meetings_and_feedback(children)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"Built in {time.perf_counter() - started:.0f} s.")


def time_figures() -> tuple[list[float], list[dict[str, Any]]]:
    """Seconds per run (the first is the cold one), and the queries of the last run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.figures import corporate_parenting_figures

    runs = []
    for _ in range(1 + WARM_RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            corporate_parenting_figures(*PERIOD)
            runs.append(time.perf_counter() - started)
    return runs, captured.captured_queries


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])


def counts() -> dict[str, int]:
    from referrals.models import Child, MissingEpisode, Referral
    from risk_assessment.models import Assessment

    models = (Child, Referral, MissingEpisode, Assessment)
    return {model.__name__: model.objects.count() for model in models}


def report(runs: list[float], queries: list[dict[str, Any]]) -> str:
    warm = runs[1:]
    lines = [
        f"corporate_parenting_figures({PERIOD[0]}, {PERIOD[1]}) "
        f"on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"PostgreSQL {server_version()}; rows: {counts()}",
        f"first run {runs[0] * 1000:.0f} ms; {len(warm)} warm runs: median "
        f"{statistics.median(warm) * 1000:.0f} ms, min {min(warm) * 1000:.0f} ms, "
        f"max {max(warm) * 1000:.0f} ms; {len(queries)} queries",
        "",
    ]
    for number, query in enumerate(queries, 1):
        lines += [f"--- query {number}: {float(query['time']) * 1000:.0f} ms", query["sql"], ""]
        lines += [explain(query["sql"]), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the database")
    options = parser.parse_args()
    url = bench_database_url()
    create_database(url, rebuild=options.rebuild)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build()
    runs, queries = time_figures()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    text = report(runs, queries)
    RESULTS.write_text(text)
    say(text.split("\n\n")[0])
    say(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
