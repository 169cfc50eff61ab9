"""The base of a service's domain errors: each declares the HTTP status the edge answers with."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """An error of the domain, in its own words, that names its HTTP status once.

    Every app answers it as problem+json with that status (type `urn:fleet:problem:<name>`,
    detail the message); a `retry_after` attribute becomes the Retry-After header. A subclass
    inherits its parent's status unless it declares its own.

    >>> class TaskNotFound(DomainError):
    ...     status = 404
    """

    status: ClassVar[int]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Checked when the class is defined, so a forgotten status fails at import, not as a 500.
        status = getattr(cls, "status", None)
        if not isinstance(status, int) or not 400 <= status <= 599:
            raise TypeError(f"{cls.__name__} must declare `status`, an HTTP error status")
