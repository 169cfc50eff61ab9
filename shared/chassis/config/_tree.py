"""The settings model as a tree of keys: what each section accepts, and the key a typo meant.

Validation says *that* a key is unknown; this says what the section around it does accept, so
the message can offer the closest one (`authx` -> `auth`), or the same name in another section
(`auth.signing_key` -> `tokens.signing_key`).
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterator, Mapping, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import AliasChoices, AliasPath, BaseModel
from pydantic.fields import FieldInfo

Loc = Sequence[str | int]


def accepted_keys(model: type[BaseModel]) -> list[str]:
    """The keys validation accepts in `model`'s section: aliases, and names where allowed."""
    by_name = bool(
        model.model_config.get("validate_by_name") or model.model_config.get("populate_by_name")
    )
    keys: list[str] = []
    for name, field in model.model_fields.items():
        aliases = _aliases(field)
        keys.extend(aliases)
        if not aliases or by_name:
            keys.append(name)
    return keys


def section_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The section that holds the last key of `loc`, following fields, optional sections, dict
    values and list items; None when `loc` leaves the tree."""
    node: Any = model
    for part in loc[:-1]:
        node = _child(node, part)
        if node is None:
            return None
    return _model_in(node)


def takes_keys(annotation: Any) -> bool:
    """Whether a value of this type has keys below it (a section, a dict, a list): a setting of
    any other type is a leaf, and a name below it names nothing."""
    if _model_in(annotation) is not None:
        return True
    return any(_container(member) for member in _members(annotation))


def suggestion(model: type[BaseModel], loc: Loc) -> str | None:
    """The setting `loc` probably meant: the closest key of its own section, else a key of the
    same name elsewhere in the tree (the right name in the wrong section)."""
    key = str(loc[-1])
    section = section_at(model, loc)
    if section is not None:
        close = difflib.get_close_matches(key, accepted_keys(section), n=1)
        if close:
            return ".".join([*map(str, loc[:-1]), close[0]])
    elsewhere = [path for path in _paths(model, ()) if path[-1] == key]
    return ".".join(elsewhere[0]) if len(elsewhere) == 1 else None


def _paths(model: type[BaseModel], above: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    for key in accepted_keys(model):
        path = (*above, key)
        yield path
        field = _field(model, key)
        section = _model_in(field.annotation) if field is not None else None
        if section is not None and len(path) < 8:  # a recursive model ends somewhere
            yield from _paths(section, path)


def _child(node: Any, part: str | int) -> Any:
    section = _model_in(node)
    if section is not None:
        field = _field(section, str(part))
        return field.annotation if field is not None else None
    for member in _members(node):
        if _container(member):
            args = get_args(member)
            return args[-1] if args else Any  # the value type of a dict, the item of a list
    return None


def _field(model: type[BaseModel], key: str) -> FieldInfo | None:
    for name, field in model.model_fields.items():
        if key == name or key in _aliases(field):
            return field
    return None


def _aliases(field: FieldInfo) -> list[str]:
    found: list[str] = []
    for alias in (field.validation_alias, field.alias):
        choices = alias.choices if isinstance(alias, AliasChoices) else [alias]
        for choice in choices:
            head = choice.path[0] if isinstance(choice, AliasPath) else choice
            if isinstance(head, str) and head not in found:
                found.append(head)
    return found


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            return member
    return None


def _members(annotation: Any) -> list[Any]:
    """`annotation` itself, or the members of a union (`X | None`), Annotated metadata removed."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [m for arg in get_args(annotation) for m in _members(arg)]
    return [annotation]


def _container(annotation: Any) -> bool:
    origin = get_origin(annotation) or annotation
    return isinstance(origin, type) and (
        issubclass(origin, Mapping)
        or (issubclass(origin, Sequence) and not issubclass(origin, str | bytes))
    )
