# Pants BUILD-file prelude: the shapes every folder of a kind shares, declared once.
# Loaded through `[GLOBAL] build_file_prelude_globs`; BUILD files call these like targets.


def fleet_service(name, data=(), database=True, **overrides):
    """A service folder (services/<name>/, package `name`): its boundary and its targets.

    The boundary: a service may use the chassis and contracts in shared/, third-party code and
    its own files; never another service. A violation fails `./pants lint`, `test`, `package`.
    `data` are globs of what the service reads at run time besides settings.toml (SQL files,
    templates), e.g. `fleet_service("devices", data=["adapters/queries/*.sql"])`: named, not
    a catch-all glob, which would warn "Unmatched glob" in every service that has none.
    `database=False`: a service without one has no migrations/ folder, so no target for it.
    """
    __dependencies_rules__(  # noqa: F821 (a Pants BUILD symbol)
        ("*", "/**", "//shared/**", "//3rdparty/**", "//conftest.py", "!*"),
    )
    # Read at run time by path or importlib.resources, so nothing imports them: name them.
    resources(  # noqa: F821
        name="resources",
        sources=["settings.toml", *data],
    )
    if database:
        # Alembic loads env.py and versions/ by path.
        python_sources(  # noqa: F821
            name="migrations",
            sources=["migrations/**/*.py"],
        )
    python_sources(  # noqa: F821
        name="src",
        sources=["**/*.py", "!**/tests/**", "!**/test_*.py", "!migrations/**"],
        dependencies=[":resources", *([":migrations"] if database else [])],
        **overrides.get("sources", {}),
    )
    python_tests(  # noqa: F821
        name="tests",
        sources=["**/tests/**/test_*.py"],
        # fastapi.testclient imports httpx lazily, where inference does not see it.
        dependencies=["3rdparty/python:reqs#httpx"],
        **overrides.get("tests", {}),
    )
    python_test_utils(  # noqa: F821
        name="test_utils",
        sources=["**/tests/**/*.py", "!**/tests/**/test_*.py"],
    )
    # The service as one executable: `./pants package services/<name>:pex`, then
    # `dist/services.<name>/pex.pex serve` (or migrate, shell, ...).
    pex_binary(  # noqa: F821
        name="pex",
        entry_point=f"{name}.main:cli",
        # SQLAlchemy imports the PostgreSQL driver by URL scheme at run time, where inference
        # cannot see it: without this, a pex runs on SQLite and fails on postgresql:// URLs.
        dependencies=[":src", "//3rdparty/python:reqs#psycopg"],
        execution_mode="venv",
        # The image runs a plain venv the pex makes of itself (`PEX_TOOLS=1 pex venv`, Dockerfile).
        include_tools=True,
        **overrides.get("pex", {}),
    )
