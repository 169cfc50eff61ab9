"""What can go wrong in the business of tasks, each with the HTTP status it answers."""

from __future__ import annotations

from collections.abc import Sequence

from chassis.errors import DomainError


class TaskNotFound(DomainError):
    """No such task, or one the caller may not see (existence is not leaked)."""

    status = 404

    def __init__(self, task_id: int) -> None:
        super().__init__(f"task {task_id} not found")


class TransitionNotAllowed(DomainError):
    """The status machine has no such move; names the moves it has."""

    status = 409

    def __init__(self, current: str, to: str, allowed: Sequence[str]) -> None:
        moves = ", ".join(allowed) if allowed else "none (the task is closed)"
        super().__init__(
            f"a task cannot go from {current} to {to}; allowed from {current}: {moves}"
        )
        self.current, self.to, self.allowed = current, to, tuple(allowed)


class NotAllowed(DomainError):
    """The caller sees the task but may not do this to it."""

    status = 403


class WriteConflict(DomainError):
    """The commit met a unique row an earlier or concurrent request wrote first."""

    status = 409

    def __init__(self) -> None:
        super().__init__("a concurrent request changed the same record first; retry")


class AssigneeNotAssignable(DomainError):
    """The would-be assignee does not exist, is inactive, or has a role that takes no tasks."""

    status = 422


class AssigneeCheckUnavailable(DomainError):
    """Users cannot tell now whether the assignee may take tasks; retry after `retry_after`."""

    status = 503

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
