"""What can go wrong in the business of tasks; the app maps each to an HTTP status once."""

from __future__ import annotations

from collections.abc import Sequence


class TaskNotFound(Exception):
    """No such task, or one the caller may not see (existence is not leaked)."""

    def __init__(self, task_id: int) -> None:
        super().__init__(f"task {task_id} not found")


class TransitionNotAllowed(Exception):
    """The status machine has no such move; names the moves it has."""

    def __init__(self, current: str, to: str, allowed: Sequence[str]) -> None:
        moves = ", ".join(allowed) if allowed else "none (the task is closed)"
        super().__init__(
            f"a task cannot go from {current} to {to}; allowed from {current}: {moves}"
        )
        self.current, self.to, self.allowed = current, to, tuple(allowed)


class NotAllowed(Exception):
    """The caller sees the task but may not do this to it."""


class WriteConflict(Exception):
    """The commit met a unique row an earlier or concurrent request wrote first."""

    def __init__(self) -> None:
        super().__init__("a concurrent request changed the same record first; retry")


class IdempotencyKeyReused(Exception):
    """The Idempotency-Key was used before for a different request body."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Idempotency-Key {key!r} was already used with a different body; use a new key"
        )


class AssigneeNotAssignable(Exception):
    """The would-be assignee does not exist, is inactive, or has a role that takes no tasks."""


class AssigneeCheckUnavailable(Exception):
    """Users cannot tell now whether the assignee may take tasks; retry after `retry_after`."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
