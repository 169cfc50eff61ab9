# Pants BUILD-file prelude: the shapes every folder of a kind shares, declared once.
# Loaded through `[GLOBAL] build_file_prelude_globs`; BUILD files call these like targets.


def fleet_service(**overrides):
    """A service folder (services/<name>/): its boundary and its targets.

    The boundary: a service may use the chassis and contracts in shared/, third-party code and
    its own files; never another service. A violation fails `./pants lint`, `test`, `package`.
    """
    __dependencies_rules__(  # noqa: F821 (a Pants BUILD symbol)
        ("*", "/**", "//shared/**", "//3rdparty/**", "//conftest.py", "!*"),
    )
    python_sources(  # noqa: F821
        name="src",
        sources=["**/*.py", "!**/tests/**", "!**/test_*.py"],
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
