"""Dependency aliases that keep route signatures short."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from chassis.app import component
from chassis.auth import Principal, require_roles
from chassis.db import SqlFiles
from devices.adapters.directory import DeviceDirectory

Operator = Annotated[Principal, Depends(require_roles("operator", "admin"))]
Reader = Annotated[Principal, Depends(require_roles("admin", "operator", "technician", "service"))]
DeviceId = Annotated[int, Path(ge=0, lt=2**63, description="The device's snowflake id.")]
Directory = Annotated[DeviceDirectory, Depends(component(DeviceDirectory))]
Queries = Annotated[SqlFiles, Depends(component(SqlFiles))]
