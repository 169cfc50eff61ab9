from enum import StrEnum


class AlarmPublicState(StrEnum):
    RAISED = "raised"
    RESOLVED = "resolved"

    def __str__(self) -> str:
        return str(self.value)
