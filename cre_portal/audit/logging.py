"""Log records carry the request id; they never carry names, narrative text or link tokens."""

import logging
import re

from cre_portal.audit.request_id import current_request_id

# Paths whose last segment is a secret (a family's feedback link): masked wherever they appear.
SECRET_PATH = re.compile(r"(/feedback/)(?!thanks/)[^/\s'\"]+")


def mask_secrets(text: str) -> str:
    return SECRET_PATH.sub(r"\1[token]", text)


class RequestIdFilter(logging.Filter):
    """Adds the request id, and masks secret link tokens in the message and the request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        if isinstance(record.args, tuple):
            record.args = tuple(
                mask_secrets(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = mask_secrets(record.msg)
        request = getattr(record, "request", None)
        if request is not None:
            # Django attaches the request; its repr shows the path, so keep only a masked one.
            record.request = mask_secrets(repr(request))
        return True
