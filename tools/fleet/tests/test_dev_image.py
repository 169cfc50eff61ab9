"""The Dockerfile's `dev` stage, proved without a container engine: it declares the tools a
developer gets (label `org.fleet.dev-tools`), its RUN steps install each of them, and it runs the
service as the unprivileged user of the other stages."""

from __future__ import annotations

import re

import pytest

from fleet.tests.dockerfile import DOCKERFILE, declared_tools, installed_packages, instructions

# What issue 21 asks of the dev image, on top of the clients it already had.
REQUIRED = {"code-server", "debugpy", "git", "curl", "mosquitto-clients", "postgresql-client"}


def _last(stage: str, keyword: str) -> str:
    return [arguments for k, arguments in instructions(stage) if k == keyword][-1]


def test_the_dev_stage_declares_the_editor_the_debugger_git_and_the_clients() -> None:
    assert declared_tools("dev") >= REQUIRED


def test_every_tool_the_dev_stage_declares_is_installed_by_its_run_steps() -> None:
    assert declared_tools("dev") - installed_packages("dev") == set()


@pytest.mark.parametrize("tool", sorted(declared_tools("dev")))
def test_a_tool_taken_out_of_the_install_steps_is_missed(tool: str) -> None:
    # The tool's pinned install argument (`git=1:2.39.*`, `"code-server@${...}"`) removed.
    text, count = re.subn(
        rf'(?<=[\s"]){re.escape(tool)}(==|=|@)[^\s"]*', "", DOCKERFILE.read_text()
    )
    assert count == 1, f"{tool} is not installed, pinned, exactly once"
    assert declared_tools("dev", text) - installed_packages("dev", text) == {tool}


def test_the_dev_stage_runs_as_the_unprivileged_user_the_base_stage_creates() -> None:
    group = re.search(r"groupadd .*--gid (\d+)", DOCKERFILE.read_text())
    user = re.search(r"useradd .*--uid (\d+)", DOCKERFILE.read_text())
    assert group is not None
    assert user is not None
    assert _last("dev", "USER") == f"{user.group(1)}:{group.group(1)}"
    assert user.group(1) != "0"
    assert _last("dev", "USER") == _last("prod", "USER")


def test_the_dev_stage_runs_the_service_as_prod_does() -> None:
    assert _last("dev", "ENTRYPOINT") == _last("prod", "ENTRYPOINT")
    assert _last("dev", "CMD") == _last("prod", "CMD")
