"""Contains all the data models used in inputs/outputs"""

from .body_issue_token import BodyIssueToken
from .body_issue_token_grant_type import BodyIssueTokenGrantType
from .dependency_state import DependencyState
from .dependency_state_info import DependencyStateInfo
from .dependency_state_status import DependencyStateStatus
from .field_error import FieldError
from .json_web_key_set import JsonWebKeySet
from .json_web_key_set_keys_item import JsonWebKeySetKeysItem
from .list_users_role_type_0 import ListUsersRoleType0
from .liveness import Liveness
from .problem import Problem
from .readiness import Readiness
from .readiness_dependencies import ReadinessDependencies
from .readiness_status import ReadinessStatus
from .refresh_request import RefreshRequest
from .token_response import TokenResponse
from .user_create import UserCreate
from .user_page import UserPage
from .user_public import UserPublic
from .user_public_role import UserPublicRole
from .user_update import UserUpdate
from .user_update_role_type_0 import UserUpdateRoleType0

__all__ = (
    "BodyIssueToken",
    "BodyIssueTokenGrantType",
    "DependencyState",
    "DependencyStateInfo",
    "DependencyStateStatus",
    "FieldError",
    "JsonWebKeySet",
    "JsonWebKeySetKeysItem",
    "ListUsersRoleType0",
    "Liveness",
    "Problem",
    "Readiness",
    "ReadinessDependencies",
    "ReadinessStatus",
    "RefreshRequest",
    "TokenResponse",
    "UserCreate",
    "UserPage",
    "UserPublic",
    "UserPublicRole",
    "UserUpdate",
    "UserUpdateRoleType0",
)
