"""Template files: Jinja2 text, rendered strictly (a name the context lacks fails, naming it).

A template's path from the templates' folder, without `.j2`, is rendered too:
`api/{{resources}}.py.j2` is written as `api/items.py`. A template named `_BUILD` is written as
`BUILD` (Pants would read a `BUILD.*` file as one). Which templates are written, and how many
times, the caller decides: `render_folder` asks it for each template's contexts.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib.resources.abc import Traversable

from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, UndefinedError

SUFFIX = ".j2"
Context = Mapping[str, object]

# Block tags on lines of their own leave no line behind.
_JINJA = Environment(
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,  # noqa: S701 (code, not HTML: nothing to escape)
)


class TemplateError(ValueError):
    """A template that cannot be rendered: an unknown name, a syntax error. It names the place."""


def names(folder: Traversable) -> list[str]:
    """The templates under `folder`, by their paths from it without `.j2`, in order."""
    return sorted(_templates(folder))


def render_folder(
    folder: Traversable, contexts: Callable[[str], Sequence[Context]]
) -> Iterator[tuple[str, str]]:
    """(path, text) of every file the templates under `folder` make: each template once per
    context `contexts(its name)` gives (none: it is not written), in their names' order."""
    for name, template in sorted(_templates(folder).items()):
        for context in contexts(name):
            path = re.sub(r"(^|/)_BUILD$", r"\1BUILD", render(name, context, name))
            yield path, render(template.read_text(), context, name + SUFFIX)


def render(source: str, context: Context, where: str = "template") -> str:
    """`source` rendered with `context`, or TemplateError naming `where` and the line."""
    try:
        return _JINJA.from_string(source).render(context)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{where}, line {exc.lineno}: {exc.message}") from None
    except UndefinedError as exc:
        raise TemplateError(f"{where}, line {_line(exc)}: {exc.message}") from None


def holds(condition: str, context: Context) -> bool:
    """Whether `condition`, a Jinja expression such as `database and not mqtt`, holds."""
    try:
        return bool(_JINJA.compile_expression(condition, undefined_to_none=False)(**context))
    except (TemplateSyntaxError, UndefinedError) as exc:
        raise TemplateError(f"{condition!r}: {exc.message}") from None


def _line(exc: UndefinedError) -> int | None:
    """The template's line that failed: Jinja puts its frame last, named `<template>`."""
    frames = traceback.extract_tb(exc.__traceback__)
    return next((f.lineno for f in reversed(frames) if f.filename == "<template>"), None)


def _templates(folder: Traversable, prefix: str = "") -> dict[str, Traversable]:
    found: dict[str, Traversable] = {}
    for entry in folder.iterdir():
        if entry.is_dir():
            found |= _templates(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(SUFFIX):
            found[f"{prefix}{entry.name.removesuffix(SUFFIX)}"] = entry
    return found
