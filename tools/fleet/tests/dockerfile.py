"""The root Dockerfile as the tests read it, without a container engine: a stage's instructions,
the label it declares its tools in and the packages its RUN steps install."""

from __future__ import annotations

import re
import shlex

from fleet.tests.checkout import ROOT

DOCKERFILE = ROOT / "Dockerfile"
TOOLS_LABEL = "org.fleet.dev-tools"

# Options of the installers that take a value (`pip install --python /opt/... debugpy==1.8`).
_VALUED = frozenset({"--python", "--target", "-t", "--prefix", "--root", "-o", "-c", "-r"})
_INSTALLERS = (("apt-get", "install"), ("npm", "install"), ("pip", "install"))
_NAME = re.compile(r"@?[^@=<>~!\[\s]+")  # a package's name, before its version or extras


def _logical_lines(text: str) -> list[str]:
    """The instructions of `text`, one a line: comments dropped, continuation lines joined."""
    lines: list[str] = []
    pending = ""
    for line in text.splitlines():
        if line.lstrip().startswith("#") or (not line.strip() and not pending):
            continue
        pending += line.strip()
        if pending.endswith("\\"):
            pending = pending.removesuffix("\\") + " "
            continue
        lines.append(pending)
        pending = ""
    return lines


def instructions(stage: str, text: str | None = None) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of stage `stage` of the Dockerfile (or of `text`), after its
    FROM."""
    found: list[tuple[str, str]] = []
    current = None
    for line in _logical_lines(DOCKERFILE.read_text() if text is None else text):
        keyword, _, arguments = line.partition(" ")
        if keyword.upper() == "FROM":
            words = arguments.split()
            current = words[-1] if len(words) >= 3 and words[-2].upper() == "AS" else None
        elif current == stage:
            found.append((keyword.upper(), arguments.strip()))
    return found


def declared_tools(stage: str, text: str | None = None) -> set[str]:
    """The packages stage `stage` declares in its `org.fleet.dev-tools` label."""
    for keyword, arguments in instructions(stage, text):
        if keyword == "LABEL" and arguments.startswith(f"{TOOLS_LABEL}="):
            return set(shlex.split(arguments.removeprefix(f"{TOOLS_LABEL}="))[0].split())
    return set()


def installed_packages(stage: str, text: str | None = None) -> set[str]:
    """The names of the packages the RUN steps of stage `stage` install with apt-get, npm or pip
    (versions left out)."""
    names: set[str] = set()
    for keyword, arguments in instructions(stage, text):
        if keyword != "RUN":
            continue
        for command in re.split(r"&&|;|\|\|", arguments):
            words = shlex.split(command)
            while words and re.fullmatch(r"\w+=\S*", words[0]):  # VAR=value before a command
                words.pop(0)
            if tuple(words[:2]) in _INSTALLERS:
                names |= _package_names(words[2:])
    return names


def _package_names(arguments: list[str]) -> set[str]:
    names: set[str] = set()
    skip = False
    for word in arguments:
        if skip or word.startswith("-"):
            skip = not skip and word in _VALUED
            continue
        match = _NAME.match(word)
        if match:
            names.add(match.group(0))
    return names
