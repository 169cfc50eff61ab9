from enum import StrEnum


class DevicePublicStatus(StrEnum):
    ACTIVE = "active"
    DECOMMISSIONED = "decommissioned"

    def __str__(self) -> str:
        return str(self.value)
