"""Request ids for logs and history, and the pghistory context for every write."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from pghistory.middleware import HistoryMiddleware

from cre_portal.audit.request_id import current_request_id, new_request_id


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class AuditContextMiddleware(HistoryMiddleware):
    """pghistory's context (user, url) plus the request id, attached to every trigger row."""

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().get_context(request), "request_id": current_request_id.get()}
