from enum import StrEnum


class CommandPublicStatus(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    FAILED = "failed"
    PENDING = "pending"
    TIMED_OUT = "timed_out"

    def __str__(self) -> str:
        return str(self.value)
