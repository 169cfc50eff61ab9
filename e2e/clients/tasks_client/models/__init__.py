"""Contains all the data models used in inputs/outputs"""

from .assignment_request import AssignmentRequest
from .dependency_state import DependencyState
from .dependency_state_info import DependencyStateInfo
from .dependency_state_status import DependencyStateStatus
from .field_error import FieldError
from .history_entry_public import HistoryEntryPublic
from .history_entry_public_changes import HistoryEntryPublicChanges
from .history_page import HistoryPage
from .list_tasks_priority_type_0 import ListTasksPriorityType0
from .list_tasks_sort import ListTasksSort
from .list_tasks_status_type_0 import ListTasksStatusType0
from .liveness import Liveness
from .problem import Problem
from .readiness import Readiness
from .readiness_dependencies import ReadinessDependencies
from .readiness_status import ReadinessStatus
from .task_create import TaskCreate
from .task_create_priority import TaskCreatePriority
from .task_create_source import TaskCreateSource
from .task_page import TaskPage
from .task_public import TaskPublic
from .task_public_allowed_transitions_item import TaskPublicAllowedTransitionsItem
from .task_public_priority import TaskPublicPriority
from .task_public_source import TaskPublicSource
from .task_public_status import TaskPublicStatus
from .task_update import TaskUpdate
from .task_update_priority import TaskUpdatePriority
from .transition_request import TransitionRequest
from .transition_request_to import TransitionRequestTo

__all__ = (
    "AssignmentRequest",
    "DependencyState",
    "DependencyStateInfo",
    "DependencyStateStatus",
    "FieldError",
    "HistoryEntryPublic",
    "HistoryEntryPublicChanges",
    "HistoryPage",
    "ListTasksPriorityType0",
    "ListTasksSort",
    "ListTasksStatusType0",
    "Liveness",
    "Problem",
    "Readiness",
    "ReadinessDependencies",
    "ReadinessStatus",
    "TaskCreate",
    "TaskCreatePriority",
    "TaskCreateSource",
    "TaskPage",
    "TaskPublic",
    "TaskPublicAllowedTransitionsItem",
    "TaskPublicPriority",
    "TaskPublicSource",
    "TaskPublicStatus",
    "TaskUpdate",
    "TaskUpdatePriority",
    "TransitionRequest",
    "TransitionRequestTo",
)
