"""What can go wrong in the devices domain, in its own words, each with the status it answers."""

from chassis.errors import DomainError


class DeviceNotFound(DomainError):
    """No device has that id."""

    status = 404


class DeviceDecommissioned(DomainError):
    """The device was decommissioned: it keeps its history but takes no new work."""

    status = 409


class AlarmNotFound(DomainError):
    """No alarm has that id."""

    status = 404


class CommandNotFound(DomainError):
    """No command of that device has that id."""

    status = 404


class InvalidQuery(DomainError, ValueError):
    """A query the domain cannot answer, e.g. `from` after `to`."""

    status = 400
