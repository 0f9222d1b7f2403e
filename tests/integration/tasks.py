"""Tasks that only the integration tests' worker imports (it starts with `--include`)."""

from cre_portal.accounts.models import Team
from cre_portal.celery import app


@app.task(name="tests.integration.rename_team")
def rename_team(team_id: int, name: str) -> None:
    team = Team.objects.get(pk=team_id)
    team.name = name
    team.save(update_fields=["name", "updated_at"])
