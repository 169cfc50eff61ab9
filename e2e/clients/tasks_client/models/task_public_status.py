from enum import StrEnum


class TaskPublicStatus(StrEnum):
    CANCELLED = "cancelled"
    DONE = "done"
    IN_PROGRESS = "in_progress"
    OPEN = "open"
    REOPENED = "reopened"

    def __str__(self) -> str:
        return str(self.value)
