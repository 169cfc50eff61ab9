"""The local fleet on one PostgreSQL server: every process's pool fits the server's connections."""

from __future__ import annotations

import os

import psycopg
import pytest

from chassis.db import DatabaseSettings
from fleet.databases import (
    HELD_BESIDE_THE_POOL,
    SERVICE_POOL_SIZE,
    TooFewConnections,
    free_connections,
    pool_share,
)

SERVER = os.environ.get("FLEET_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def test_a_fleet_the_server_holds_keeps_the_services_own_pools() -> None:
    assert pool_share(free=95, processes=5) is None  # three services, two of them twice


def test_a_fleet_of_dozens_shares_the_servers_connections_out() -> None:
    pool = pool_share(free=95, processes=23)
    assert pool == 2
    assert 23 * (pool + HELD_BESIDE_THE_POOL) <= 95


def test_a_server_too_small_for_the_fleet_stops_it_naming_what_it_needs() -> None:
    with pytest.raises(
        TooFewConnections, match=r"23 service processes need at least 69 .* 40 more"
    ):
        pool_share(free=40, processes=23)


def test_the_pool_the_fleet_assumes_is_the_services_own_default() -> None:
    assert DatabaseSettings().pool_size == SERVICE_POOL_SIZE


def test_free_connections_are_what_the_server_takes_beyond_those_open() -> None:
    with psycopg.connect(SERVER, autocommit=True) as held, psycopg.connect(SERVER, autocommit=True):
        (limit,) = held.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
        ).fetchone() or (0,)
        free = free_connections(SERVER)
    assert 0 < free <= limit - 2  # the two held here are not free
