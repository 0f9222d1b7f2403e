"""Log records carry the request id; they never carry names or narrative text."""

import logging

from cre_portal.audit.request_id import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True
