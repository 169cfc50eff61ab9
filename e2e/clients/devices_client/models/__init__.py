"""Contains all the data models used in inputs/outputs"""

from .alarm_page import AlarmPage
from .alarm_public import AlarmPublic
from .alarm_public_state import AlarmPublicState
from .command_create import CommandCreate
from .command_create_args import CommandCreateArgs
from .command_public import CommandPublic
from .command_public_args import CommandPublicArgs
from .command_public_status import CommandPublicStatus
from .dependency_state import DependencyState
from .dependency_state_info import DependencyStateInfo
from .dependency_state_status import DependencyStateStatus
from .device_create import DeviceCreate
from .device_create_thresholds import DeviceCreateThresholds
from .device_page import DevicePage
from .device_public import DevicePublic
from .device_public_status import DevicePublicStatus
from .device_public_thresholds import DevicePublicThresholds
from .device_state import DeviceState
from .device_state_metrics import DeviceStateMetrics
from .device_update import DeviceUpdate
from .device_update_thresholds_type_0 import DeviceUpdateThresholdsType0
from .field_error import FieldError
from .list_alarms_state_type_0 import ListAlarmsStateType0
from .liveness import Liveness
from .problem import Problem
from .readiness import Readiness
from .readiness_dependencies import ReadinessDependencies
from .readiness_status import ReadinessStatus
from .reading_bucket import ReadingBucket
from .reading_point import ReadingPoint
from .reading_series import ReadingSeries
from .threshold_spec import ThresholdSpec

__all__ = (
    "AlarmPage",
    "AlarmPublic",
    "AlarmPublicState",
    "CommandCreate",
    "CommandCreateArgs",
    "CommandPublic",
    "CommandPublicArgs",
    "CommandPublicStatus",
    "DependencyState",
    "DependencyStateInfo",
    "DependencyStateStatus",
    "DeviceCreate",
    "DeviceCreateThresholds",
    "DevicePage",
    "DevicePublic",
    "DevicePublicStatus",
    "DevicePublicThresholds",
    "DeviceState",
    "DeviceStateMetrics",
    "DeviceUpdate",
    "DeviceUpdateThresholdsType0",
    "FieldError",
    "ListAlarmsStateType0",
    "Liveness",
    "Problem",
    "Readiness",
    "ReadinessDependencies",
    "ReadinessStatus",
    "ReadingBucket",
    "ReadingPoint",
    "ReadingSeries",
    "ThresholdSpec",
)
