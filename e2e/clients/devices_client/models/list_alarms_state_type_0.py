from enum import StrEnum


class ListAlarmsStateType0(StrEnum):
    RAISED = "raised"
    RESOLVED = "resolved"

    def __str__(self) -> str:
        return str(self.value)
