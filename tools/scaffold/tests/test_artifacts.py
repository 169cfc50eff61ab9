from pathlib import Path

from scaffold.artifacts import Artifact, stale, write


def _seed_once(current: str | None) -> str:
    return current if current is not None else "seed\n"


def test_writes_only_what_changed_and_creates_folders(tmp_path: Path) -> None:
    (tmp_path / "same.txt").write_text("same\n")
    wanted = [
        Artifact("same.txt", lambda _: "same\n"),
        Artifact("deep/new.txt", lambda _: "new\n"),
    ]
    assert write(tmp_path, wanted) == ["deep/new.txt"]
    assert (tmp_path / "deep/new.txt").read_text() == "new\n"


def test_a_seeded_file_is_written_once_and_then_kept_as_edited(tmp_path: Path) -> None:
    overlay = [Artifact("overlay.yaml", _seed_once)]
    write(tmp_path, overlay)
    (tmp_path / "overlay.yaml").write_text("edited by a release\n")
    assert stale(tmp_path, overlay) == []
    assert write(tmp_path, overlay) == []


def test_stale_names_a_changed_or_missing_file(tmp_path: Path) -> None:
    (tmp_path / "acl").write_text("old\n")
    wanted = [Artifact("acl", lambda _: "new\n"), Artifact("missing.sql", lambda _: "x\n")]
    assert stale(tmp_path, wanted) == ["acl", "missing.sql"]
