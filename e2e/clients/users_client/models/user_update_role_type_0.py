from enum import StrEnum


class UserUpdateRoleType0(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    TECHNICIAN = "technician"

    def __str__(self) -> str:
        return str(self.value)
