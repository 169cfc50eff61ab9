"""Template files: Jinja2 text and paths, rendered strictly; the caller picks each one's copies."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from scaffold.templates import Context, TemplateError, holds, render, render_folder

CONTEXT = {"name": "stock", "database": True, "mqtt": False, "calls": [{"name": "orders"}]}


def test_block_tags_on_lines_of_their_own_leave_no_line_behind() -> None:
    text = render(
        "{% for call in calls %}\n{% if database %}\n{{ name }} calls {{ call.name }}\n"
        "{% endif %}\n{% endfor %}\nend\n",
        CONTEXT,
    )

    assert text == "stock calls orders\nend\n"


def test_a_file_is_named_by_its_rendered_path_and_written_once_per_context(
    tmp_path: Path,
) -> None:
    (tmp_path / "{{name}}").mkdir()
    (tmp_path / "{{name}}/{{call.name}}.py.j2").write_text("# {{ call.name }}\n")
    (tmp_path / "{{name}}/broker.py.j2").write_text("# broker\n")
    (tmp_path / "_BUILD.j2").write_text('fleet_service("{{ name }}")\n')
    calls = [{"name": "orders"}, {"name": "zones"}]

    def contexts(template: str) -> Sequence[Context]:
        if template == "{{name}}/{{call.name}}.py":
            return [{**CONTEXT, "call": call} for call in calls]
        return [] if template == "{{name}}/broker.py" else [CONTEXT]

    files = dict(render_folder(tmp_path, contexts))

    assert files == {
        "BUILD": 'fleet_service("stock")\n',
        "stock/orders.py": "# orders\n",
        "stock/zones.py": "# zones\n",
    }


@pytest.mark.parametrize(
    ("condition", "held"),
    [("database", True), ("not database", False), ("database and not mqtt", True), ("calls", True)],
)
def test_a_condition_is_a_jinja_expression_over_the_context(condition: str, held: bool) -> None:
    assert holds(condition, CONTEXT) is held


def test_an_unknown_placeholder_is_refused_naming_the_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "main.py.j2").write_text("# {{ name }}\nfrom {{ nmae }} import app\n")

    with pytest.raises(TemplateError, match=r"main\.py\.j2, line 2: 'nmae' is undefined"):
        dict(render_folder(tmp_path, lambda template: [CONTEXT]))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "{% for call in calls %}\n{{ call.nmae }}\n{% endfor %}\n",
            "line 2: .* no attribute 'nmae'",
        ),
        ("x\n{% if mqtt %}\nx\n", "line 3: Unexpected end of template"),
    ],
)
def test_a_mistake_in_a_template_is_named(text: str, why: str) -> None:
    with pytest.raises(TemplateError, match=f"main.py.j2, {why}"):
        render(text, CONTEXT, "main.py.j2")


def test_an_unknown_flag_in_a_condition_is_refused() -> None:
    with pytest.raises(TemplateError, match="'databse' is undefined"):
        holds("databse and mqtt", {"database": True, "mqtt": True})
