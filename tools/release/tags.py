"""Image tags: v{YYYYMMDD}.{RUN_NUMBER}-{BRANCH}, e.g. v20261123.42-main.

Ordered by date then run (`is_older`), traceable to the CI run and branch, and valid as a Docker
tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) whatever the branch is called.
"""

from __future__ import annotations

import re
from datetime import date

_TAG = re.compile(r"^v(?P<day>\d{8})\.(?P<run>\d+)-(?P<branch>[a-z0-9][a-z0-9_.-]*)$")
_MAX_TAG = 128


def branch_slug(branch: str) -> str:
    """A branch name as a tag suffix: refs/heads/feature/Login_2 -> feature-login_2."""
    name = branch.removeprefix("refs/heads/").lower()
    slug = re.sub(r"[^a-z0-9_.]+", "-", name).strip("-.")
    if not slug:
        raise ValueError(f"branch {branch!r} has no character usable in an image tag")
    return slug


def image_tag(day: date, run_number: int, branch: str) -> str:
    if run_number < 1:
        raise ValueError(f"run number must be positive, got {run_number}")
    head = f"v{day:%Y%m%d}.{run_number}-"
    return head + branch_slug(branch)[: _MAX_TAG - len(head)].rstrip("-.")


def is_image_tag(tag: str) -> bool:
    """Whether `tag` was made by image_tag (the release tool refuses anything else)."""
    return len(tag) <= _MAX_TAG and _TAG.match(tag) is not None


def _age(tag: str) -> tuple[int, int] | None:
    """(day, run) of a release tag, None for any other tag."""
    match = _TAG.match(tag) if len(tag) <= _MAX_TAG else None
    return (int(match["day"]), int(match["run"])) if match else None


def is_older(tag: str, than: str) -> bool:
    """Whether release tag `tag` was built before `than`: an earlier day, or the same day and a
    lower run number. A tag the tool did not make (`unreleased`, a hand edit) is older than none
    and newer than none: there is nothing to compare.
    """
    age, other = _age(tag), _age(than)
    return age is not None and other is not None and age < other
