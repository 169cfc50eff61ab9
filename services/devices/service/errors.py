"""What can go wrong in the devices domain, in its own words; the app maps them to statuses."""


class DeviceNotFound(Exception):
    """No device has that id (404)."""


class DeviceDecommissioned(Exception):
    """The device was decommissioned: it keeps its history but takes no new work (409)."""


class AlarmNotFound(Exception):
    """No alarm has that id (404)."""


class CommandNotFound(Exception):
    """No command of that device has that id (404)."""


class InvalidQuery(ValueError):
    """A query the domain cannot answer, e.g. `from` after `to` (400)."""
