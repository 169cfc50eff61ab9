from enum import StrEnum


class TaskPublicSource(StrEnum):
    ALARM = "alarm"
    MANUAL = "manual"

    def __str__(self) -> str:
        return str(self.value)
