"""`release`: the commands the workflows run. Each prints what it did, one fact a line."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from fleet.descriptor import DescriptorError
from release import affected, history, observability, render, secrets
from release.bump import Bump, bump, promote
from release.catalog import image_name
from release.images import build_commands, image_ref
from release.layout import Layout
from release.overlay import OverlayError
from release.publish import GitError, Published, PublishError, publish
from release.secrets import SecretsError
from release.tags import image_tag
from release.wiring import WiringConflict

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

Repo = Annotated[Path, typer.Option(help="The repository's root.")]
Services = Annotated[list[str], typer.Option("--service", help="A service (repeat for more).")]
ServicesJson = Annotated[
    str, typer.Option(help='Services as a JSON list, as `affected` prints: ["tasks","users"].')
]
Rollback = Annotated[
    bool,
    typer.Option(
        "--rollback",
        help="Allow replacing a newer tag with an older one (otherwise refused, naming both).",
    ),
]


@contextmanager
def _refusals() -> Iterator[None]:
    """A refusal or git's failure as its message on stderr (git's own words) and exit 1."""
    try:
        yield
    except (
        OverlayError,
        PublishError,
        GitError,
        DescriptorError,
        WiringConflict,
        SecretsError,
    ) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error


def _today() -> date:
    return datetime.now(UTC).date()


@app.command()
def tag(
    run_number: Annotated[int, typer.Option(envvar="GITHUB_RUN_NUMBER")],
    branch: Annotated[str, typer.Option(envvar="GITHUB_REF_NAME")],
    day: Annotated[str, typer.Option(help="YYYY-MM-DD (UTC today when omitted).")] = "",
) -> None:
    """Print the image tag of this CI run: v{YYYYMMDD}.{RUN_NUMBER}-{BRANCH}."""
    when = date.fromisoformat(day) if day else _today()
    typer.echo(image_tag(when, run_number, branch))


@app.command("affected")
def affected_services(
    since: Annotated[str, typer.Option(help="The git revision the change is measured from.")] = "",
    since_last_release: Annotated[
        bool,
        typer.Option(
            "--since-last-release",
            help="Measure from the commit --env last released (its release commit's"
            " Released-From trailer); every service when none is recorded.",
        ),
    ] = False,
    environment: Annotated[str, typer.Option("--env", help="With --since-last-release.")] = "",
    releases_ref: Annotated[
        str, typer.Option(help="The branch release commits are pushed to, as this clone has it.")
    ] = "origin/main",
    repo: Repo = Path(),
    every: Annotated[bool, typer.Option("--all", help="Every service, changed or not.")] = False,
    pants: Annotated[str, typer.Option(help="The Pants launcher, from --repo.")] = "./pants",
) -> None:
    """Print the services whose image a change affects, as a JSON list (a workflow matrix).

    A branch's first push has no previous commit (GitHub's `before` is all zeros): every service.
    Releases measure from the environment's last release instead (--since-last-release), so a
    run that was cancelled or failed loses nothing: the next one releases its changes too.
    """
    layout = Layout(repo.resolve())
    known = layout.services()
    everything = every or affected.is_first_push(since)
    if since_last_release:
        if since or environment not in layout.environments():
            raise typer.BadParameter(
                f"--since-last-release needs --env, one of {', '.join(layout.environments())},"
                " and no --since"
            )
        overlays = layout.overlays_dir.relative_to(layout.root) / environment
        found = history.baseline(layout.root, overlays, releases_ref)
        typer.echo(f"{environment}: {found.reason}", err=True)
        since, everything = found.since or "", everything or found.since is None
    elif not since and not every:
        raise typer.BadParameter("give --since REVISION, --since-last-release --env ENV or --all")
    if everything:
        chosen = known
    else:
        chosen = affected.services_of(affected.changed_addresses(repo, since, pants), known)
    typer.echo(json.dumps(chosen))


@app.command("render")
def render_command(
    repo: Repo = Path(),
    check: Annotated[bool, typer.Option(help="Only report drift; exit 1 if any.")] = False,
) -> None:
    """Render the chart for every service into deploy/rendered/ (or check it is up to date)."""
    layout = Layout(repo.resolve())
    with _refusals():
        renders = render.render_all(layout)
    if check:
        stale = render.drift(layout, renders)
        for name in stale:
            typer.echo(f"drift: deploy/rendered/{name} (run `release render`)", err=True)
        raise typer.Exit(1 if stale else 0)
    for path in render.write(layout, renders):
        typer.echo(f"rendered {path.relative_to(layout.root)}")


@app.command("observability")
def observability_command(
    repo: Repo = Path(),
    check: Annotated[bool, typer.Option(help="Only report stale files; exit 1 if any.")] = False,
) -> None:
    """Generate every service's Grafana dashboard (from the chassis's metric families) and alert
    rules file (from the chart) into deploy/observability/ (or check they are up to date)."""
    layout = Layout(repo.resolve())
    with _refusals():
        files = observability.generate(layout)
    if check:
        stale = observability.drift(layout, files)
        for name in stale:
            typer.echo(
                f"stale: deploy/observability/{name} (run `release observability`)", err=True
            )
        raise typer.Exit(1 if stale else 0)
    for path in observability.write(layout, files):
        typer.echo(f"generated {path.relative_to(layout.root)}")


@app.command("secrets")
def secrets_command(
    environment: Annotated[str, typer.Option("--env", help="Only this environment's.")] = "",
    write: Annotated[
        bool, typer.Option("--write", help="Write deploy/external-secrets/ from the list.")
    ] = False,
    check: Annotated[
        bool, typer.Option(help="Only report stale deploy/external-secrets/; exit 1 if any.")
    ] = False,
    kubectl: Annotated[str, typer.Option(help="Builds the overlays (kustomize).")] = "kubectl",
    repo: Repo = Path(),
) -> None:
    """Print the Secrets the environments need (a Markdown table: docs/deploy.md has it), read
    from every Secret the built overlays reference; or write/check the ExternalSecret components
    made from the same list."""
    layout = Layout(repo.resolve())
    if environment and environment not in layout.environments():
        raise typer.BadParameter(f"no environment {environment!r}: {layout.environments()}")
    with _refusals():
        found = secrets.needed(layout, kubectl)
        text = secrets.table(layout, found, environment or None)
        folders = secrets.external_secrets(found)
    if not (write or check):
        typer.echo(text, nl=False)
        return
    stale = secrets.stale(layout, folders)
    if check:
        for name in stale:
            typer.echo(f"stale: {name} (run `release secrets --write`)", err=True)
        raise typer.Exit(1 if stale else 0)
    for written in secrets.write(layout, folders):
        typer.echo(f"wrote {written.relative_to(layout.root)}")


@app.command("compare-render")
def compare_render_command(
    helm: Annotated[str, typer.Option(help="The helm binary to render with.")] = "helm",
    repo: Repo = Path(),
) -> None:
    """Render every service with the real helm binary (`helm template`) and compare it with
    deploy/rendered/ (which the Helm SDK wrote); exit 1 on any difference, showing it."""
    layout = Layout(repo.resolve())
    renders = []
    with _refusals(), render.wiring_files(layout) as wiring:
        for service in layout.services():
            command = render.helm_template_command(layout, service, helm, wiring.get(service))
            typer.echo("$ " + " ".join(command))
            result = subprocess.run(
                command, cwd=layout.root, capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                typer.echo(result.stderr, err=True)
                typer.echo(
                    f"helm template failed for {service} (exit {result.returncode})", err=True
                )
                raise typer.Exit(1)
            renders.append(render.from_helm_template(service, result.stdout))
    stale = render.drift(layout, renders)
    if stale:
        typer.echo(render.diff(layout, renders, label="helm-template"), err=True)
        for name in stale:
            typer.echo(
                f"differs: deploy/rendered/{name} (helm template vs the SDK render)", err=True
            )
        raise typer.Exit(1)
    typer.echo(f"helm template equals deploy/rendered/ for {', '.join(layout.services())}")


@app.command("bump")
def bump_command(
    environment: Annotated[str, typer.Option("--env")],
    new_tag: Annotated[str, typer.Option("--tag")],
    services: Services,
    repo: Repo = Path(),
    rollback: Rollback = False,
) -> None:
    """Set the services' image tag in the environment's overlays (files only, no git)."""
    layout = Layout(repo.resolve())
    with _refusals():
        changes = bump(layout, environment, dict.fromkeys(services, new_tag), rollback=rollback)
    for change in changes:
        typer.echo(_bump_line(environment, change))


@app.command("release")
def release_command(
    environment: Annotated[str, typer.Option("--env")],
    new_tag: Annotated[str, typer.Option("--tag")],
    services: Services = [],  # noqa: B006 (typer reads the default; never mutated)
    services_json: ServicesJson = "[]",
    repo: Repo = Path(),
    remote: str = "origin",
    branch: str = "main",
    attempts: int = 5,
    released_from: Annotated[
        str,
        typer.Option(
            help="The commit the images were built from (CI: $GITHUB_SHA), recorded in the"
            " release commit for `affected --since-last-release`. Without it the next release"
            " counts every service as affected.",
        ),
    ] = "",
    rollback: Rollback = False,
) -> None:
    """Bump the tags, commit, tag `<env>/<tag>` and push, retrying when the branch moved.

    Refuses to replace a newer tag with an older one unless --rollback; a rollback records no
    source, so the release after it counts every service as affected.
    """
    layout = Layout(repo.resolve())
    chosen = sorted({*services, *json.loads(services_json)})
    if not chosen:
        raise typer.BadParameter("name at least one service (--service or --services-json)")
    subject = f"release({environment}): {', '.join(chosen)} {new_tag}"
    try:
        message = (
            subject + " (rollback)" if rollback else history.release_message(subject, released_from)
        )
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--released-from") from error
    with _refusals():
        published = publish(
            layout.root,
            lambda: [
                c.overlay
                for c in bump(
                    layout, environment, dict.fromkeys(chosen, new_tag), rollback=rollback
                )
            ],
            message,
            remote=remote,
            branch=branch,
            git_tag=f"{environment}/{new_tag}",
            attempts=attempts,
        )
    typer.echo(_published_line(environment, published))


@app.command("promote")
def promote_command(
    source: Annotated[str, typer.Option("--from")],
    target: Annotated[str, typer.Option("--to")],
    repo: Repo = Path(),
    push: Annotated[bool, typer.Option(help="Commit, tag and push (with retries).")] = False,
    run_number: Annotated[int, typer.Option(envvar="GITHUB_RUN_NUMBER")] = 0,
    remote: str = "origin",
    branch: str = "main",
    rollback: Rollback = False,
) -> None:
    """Give `target` the image tags `source` runs (no rebuild) and, where `target` pins its render
    (prod), the render `source` runs; tag <target>/promote-<day>.<run>.

    Refuses where `target` runs a newer tag than `source` unless --rollback. The commit records
    the source of `source`'s last release, which `target` now runs too.
    """
    layout = Layout(repo.resolve())
    if not push:
        with _refusals():
            promoted = promote(layout, source, target, rollback=rollback)
        for change in promoted.tags:
            typer.echo(_bump_line(target, change))
        for copy in promoted.renders:
            typer.echo(
                f"{target}: {copy.service} render <- {source}'s {_shown(layout, copy.source)}"
            )
        return
    subject = f"promote({target}): the images (and render) {source} runs"
    if rollback:
        message = subject + " (rollback)"
    else:
        overlays = layout.overlays_dir.relative_to(layout.root) / source
        found = history.baseline(layout.root, overlays, f"{remote}/{branch}")
        message = history.release_message(subject, found.since)
    with _refusals():
        published = publish(
            layout.root,
            lambda: promote(layout, source, target, rollback=rollback).changed,
            message,
            remote=remote,
            branch=branch,
            git_tag=f"{target}/promote-{_today():%Y%m%d}.{run_number}",
        )
    typer.echo(_published_line(target, published))


@app.command("build")
def build_command(
    service: Annotated[str, typer.Option()],
    new_tag: Annotated[str, typer.Option("--tag")],
    registry: Annotated[str, typer.Option(help="e.g. fleetacr.azurecr.io")],
    repo: Repo = Path(),
    push: Annotated[bool, typer.Option(help="Push the image (--no-push: build only).")] = True,
    dry_run: Annotated[bool, typer.Option(help="Print the commands only.")] = False,
) -> None:
    """Package the service, build its image and push it as registry/image:tag."""
    layout = Layout(repo.resolve())
    ref = image_ref(registry, image_name(layout, service), new_tag)
    for command in build_commands(layout.root, service, ref, push=push):
        typer.echo("$ " + " ".join(command))
        if not dry_run:
            subprocess.run(command, cwd=layout.root, check=True)
    typer.echo(f"image={ref}")


def _shown(layout: Layout, path: Path) -> str:
    return str(path.relative_to(layout.root.resolve()))


def _bump_line(environment: str, change: Bump) -> str:
    back = f" (rolled back from {change.previous})" if change.backwards else ""
    first = " (its first release: no longer held at zero replicas)" if change.held else ""
    return f"{environment}: {change.service} -> {change.tag}{back}{first}"


def _published_line(environment: str, published: Published | None) -> str:
    if published is None:
        return f"{environment}: already up to date, nothing pushed"
    return (
        f"{environment}: pushed {published.commit} tagged {published.git_tag}"
        f" (attempt {published.attempts})"
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
