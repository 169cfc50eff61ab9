from enum import StrEnum


class TaskCreateSource(StrEnum):
    ALARM = "alarm"
    MANUAL = "manual"

    def __str__(self) -> str:
        return str(self.value)
