from enum import StrEnum


class ListTasksSort(StrEnum):
    CREATED = "created"
    DUE = "due"
    PRIORITY = "priority"
    VALUE_1 = "-created"
    VALUE_3 = "-due"
    VALUE_5 = "-priority"

    def __str__(self) -> str:
        return str(self.value)
