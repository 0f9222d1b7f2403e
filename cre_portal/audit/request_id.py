"""The id of the request being served, shared by the logs and the write history."""

import re
import uuid
from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")

# Accept a proxy's id only when it cannot smuggle anything into the logs.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def new_request_id(incoming: str | None) -> str:
    """The proxy's X-Request-ID when it looks safe, else a fresh one."""
    if incoming and SAFE_REQUEST_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex
