"""The database section of a service's settings (`TASKS__DATABASE__URL=...`)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DatabaseSettings(BaseModel):
    """Where the service's own database is and how to pool connections to it."""

    url: str = Field(
        "sqlite:///./data/service.sqlite3",
        description=(
            "SQLAlchemy URL: postgresql://user:pw@host:5432/db (driven by psycopg 3) or "
            "sqlite:///path/file.sqlite3 (the embedded default for local runs and tests)."
        ),
    )
    pool_size: int = Field(15, ge=1, description="Connections kept open once opened (PostgreSQL).")
    max_overflow: int = Field(
        0,
        ge=0,
        description="Extra connections for bursts, closed as soon as they are returned: each "
        "costs a PostgreSQL backend start, so under steady load they churn (-13% req/s).",
    )
    pool_timeout: float = Field(
        10.0, gt=0, description="Seconds a request waits for a free connection before failing."
    )
    pool_recycle: float = Field(
        1800.0, gt=0, description="Seconds after which a pooled connection is replaced."
    )
    connect_timeout: float = Field(
        5.0, gt=0, description="Seconds to wait for the server when opening a connection."
    )
    echo: bool = Field(False, description="Log every SQL statement (noisy; for debugging).")
    health_timeout: float = Field(
        2.0, gt=0, description="Seconds the readiness ping may take before the DB counts as down."
    )
    health_cache: float = Field(
        2.0,
        ge=0,
        description="Seconds a readiness result is reused, so /health/ready stays cheap.",
    )
    migrate_at_start: bool = Field(
        False,
        description="Upgrade the schema to head when the service starts (local runs, samples); "
        "in clusters run the `migrate` command as a job instead.",
    )
    idempotency_retention: float = Field(
        24 * 3600.0,
        gt=0,
        description="Seconds the answer to a create with an Idempotency-Key is kept, so a retry "
        "within it gets that answer again; older ones are deleted (chassis.idempotency).",
    )
