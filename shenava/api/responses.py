"""The error answers each route really gives, for its OpenAPI description (``responses=``).

Every error body is ``{"detail": …}``: a message, or FastAPI's list of validation errors (422).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Problem(BaseModel):
    detail: str | list[dict[str, Any]]


def _answer(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description}


#: what any route may answer before it runs: the request limits (shenava.api.limits)
LIMITS: dict[int | str, dict[str, Any]] = {
    413: _answer("Request body too large."),
    422: _answer("A parameter or the body is invalid; the detail names it and why."),
    431: _answer("Request headers too large."),
}
#: routes behind an API key
KEYED: dict[int | str, dict[str, Any]] = {
    **LIMITS,
    401: _answer("Missing or unknown API key (X-API-Key)."),
    403: _answer("The key's role does not allow this."),
    429: _answer("Too many requests for this key or address; see Retry-After."),
    503: _answer("The database is unavailable; try again shortly."),
}
#: archive questions: bad search text, a documented cap or the time limit (storage.limits)
ARCHIVE: dict[int | str, dict[str, Any]] = {
    **KEYED,
    400: _answer("Search text that cannot be searched, a cap exceeded or the time limit reached."),
}
#: one incident, and the workflow's refusals
INCIDENT: dict[int | str, dict[str, Any]] = {
    **KEYED,
    404: _answer("No such incident."),
    409: _answer("The incident's state does not allow this action."),
}
