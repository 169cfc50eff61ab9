"""Scale proof (issue 17): 20 services made with `fleet new` in a throwaway clone, and the
platform measured with them: checks, selection, `fleet up`, deployment.

In a `git clone` of this checkout's HEAD it builds the fleet tool, runs `dist/fleet.pex new svcNN`
for `--services` services (timed; shapes in bench/scale/shapes.py), builds every pex, generates
the API clients and commits, then shows that `fleet generate --check` and `clients --check` pass
with nothing to commit (no hand edit), that every overlay builds with kubectl, has its render and
is an Application of the ApplicationSet, that `./fleet up` of every service gets ready (time and
each process's RSS, on free ports; then `./fleet down`), that `./pants lint/check/test ::` pass
(timed), and what a one-line change to one generated service selects (and, to compare, to a
sample service) and how long its `test` takes. `--skip-checks` skips the two long parts: the
`::` goals and the timed test of the change. `--baseline` also times `test ::` of the sample
fleet in the clone before any service is added. Timed test runs use `--test-force`: tests run
again, what they are built from comes from the cache, as in CI with a warm cache.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres MQTT_URL=mqtt://127.0.0.1:1883 \\
      ./pants run tools/bench/fleet_scale.py -- --services 20 --baseline

Prints one fact per line as it goes and writes them with the figures to reports/fleet_scale.json;
every command's output is in reports/fleet_scale/. Loopback only; every command has a timeout.
Exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from bench.memory import running_fleet
from bench.scale import deployment
from bench.scale.report import Report, StepFailed
from bench.scale.shapes import shapes
from bench.scale.workspace import Clone
from fleet.descriptor import descriptors, in_start_order

_ADDRESS = re.compile(r"[\w.\-/]+:[\w.\-/]+")
_CHANGE = "fleet_scale: a one-line change, to see what it selects"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--services", type=int, default=20, help="services to generate")
    parser.add_argument(
        "--skip-checks", action="store_true", help="no lint/check/test ::, no timed test"
    )
    parser.add_argument("--baseline", action="store_true", help="time test :: before adding")
    parser.add_argument("--repository", type=Path, default=Path.cwd(), help="what to clone")
    parser.add_argument("--workdir", type=Path, default=None, help="where the clone goes")
    parser.add_argument("--keep", action="store_true", help="keep the clone afterwards")
    parser.add_argument("--goal-timeout", type=float, default=4 * 3600, help="seconds per goal")
    parser.add_argument("--ready-timeout", type=float, default=900, help="seconds to be ready")
    parser.add_argument("--settle", type=float, default=10.0, help="idle seconds before RSS")
    parser.add_argument("--out", type=Path, default=Path("reports/fleet_scale.json"))
    parser.add_argument("--logs", type=Path, default=Path("reports/fleet_scale"))
    args = parser.parse_args()
    if args.services < 1:
        parser.error("--services: at least 1")
    for old in args.logs.glob("*.log"):  # the last run's logs would mislead
        old.unlink()
    workdir = Path(tempfile.mkdtemp(prefix="fleet-scale-", dir=args.workdir))
    report = Report()
    report.figures["asked"] = {
        "services": args.services,
        "skip_checks": args.skip_checks,
        "baseline": args.baseline,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    started = time.monotonic()
    try:
        clone = Clone.of(args.repository.resolve(), workdir / "fleet", args.logs.resolve())
        _run(clone, args, report)
    except (StepFailed, RuntimeError) as exc:
        report.problem(str(exc))
    except KeyboardInterrupt:
        report.problem("stopped with Ctrl-C")
    finally:
        report.fact(f"whole run: {(time.monotonic() - started) / 60:.1f} min")
        if args.keep:
            report.fact(f"the clone is kept: {workdir / 'fleet'}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        _write(report, args.out)
    if report.problems:
        raise SystemExit(f"{len(report.problems)} problem(s): see above and {args.out}")


def _run(clone: Clone, args: argparse.Namespace, report: Report) -> None:
    report.require(
        clone.pants(
            "package the fleet tool", "package", "tools/fleet:fleet", timeout=args.goal_timeout
        )
    )
    if args.baseline:
        _baseline(clone, args, report)
    generated = _generate(clone, args, report)
    names = list(descriptors(clone.root))
    _deployment(clone, names, report)
    _fleet_up(clone, names, args, report)
    if not args.skip_checks:
        _checks(clone, args, report)
    _selection(clone, generated, args, report)
    left = clone.changes()
    report.figures["uncommitted_at_end"] = left
    report.fact(f"working tree at the end: {'clean' if not left else ', '.join(left)}")


def _baseline(clone: Clone, args: argparse.Namespace, report: Report) -> None:
    run = clone.pants(
        "test the sample fleet", "test", "--test-force", "::", timeout=args.goal_timeout
    )
    counts = report.judge("baseline_test", run)
    report.fact(
        f"baseline: ./pants test :: of the {len(descriptors(clone.root))}-service fleet "
        f"{run.verdict} in {run.seconds / 60:.1f} min ({counts.summary})"
    )


def _generate(clone: Clone, args: argparse.Namespace, report: Report) -> list[str]:
    """`fleet new` for each shape, then the pexes and the clients; committed. The new names."""
    fleet = descriptors(clone.root)
    sample = _sample(clone)
    head = clone.run("git rev-parse", ["git", "rev-parse", "--short", "HEAD"], timeout=60)
    report.fact(
        f"clone of {args.repository.resolve()} at {head.output().strip()}: "
        f"services {', '.join(fleet)}"
    )
    made, seconds = shapes(args.services, sample), []
    for shape in made:
        run = report.require(
            clone.run(
                f"fleet new {shape.name}", ["dist/fleet.pex", "new", *shape.args], timeout=1800
            )
        )
        seconds.append(round(run.seconds, 1))
        report.fact(f"fleet new {' '.join(shape.args)}: {run.seconds:.1f} s")
    report.figures["fleet_new"] = [
        {"args": shape.args, "seconds": s} for shape, s in zip(made, seconds, strict=True)
    ]
    report.fact(
        f"fleet new x{len(made)}: median {statistics.median(seconds):.1f} s, first "
        f"{seconds[0]:.1f} s, last {seconds[-1]:.1f} s"
    )
    build = report.require(
        clone.pants(
            "package every pex",
            "package",
            "services::",
            "tools/fleet:fleet",
            "tools/fleet_monitor:fleet-monitor",
            timeout=args.goal_timeout,
        )
    )
    clients = report.require(
        clone.run("fleet clients", ["dist/fleet.pex", "clients"], timeout=1800)
    )
    report.fact(f"every pex built in {build.seconds:.0f} s; API clients in {clients.seconds:.0f} s")
    clone.commit(f"{len(made)} services from fleet new (fleet_scale)")
    for what, command in (("generate --check", "generate"), ("clients --check", "clients")):
        run = clone.run(f"fleet {what}", ["dist/fleet.pex", command, "--check"], timeout=1800)
        if not run.ok:
            report.problem(f"fleet {what} {run.verdict} after the commit:\n{run.tail()}")
    left = clone.changes()
    if left:
        report.problem(f"files left uncommitted after generation: {', '.join(left)}")
    report.fact(
        f"no hand edit: generate --check and clients --check pass; "
        f"{'nothing' if not left else len(left)} left to commit"
    )
    return [shape.name for shape in made]


def _deployment(clone: Clone, names: list[str], report: Report) -> None:
    started = time.monotonic()
    found = deployment.check(clone.root, names)
    report.figures["deployment"] = asdict(found)
    report.fact(
        f"deployment: {found.overlays} overlay folders built by kubectl kustomize in "
        f"{time.monotonic() - started:.0f} s, {len(found.unbuildable)} refused; "
        f"renders and overlays for all {len(names)} services: "
        f"{'yes' if not (found.without_render or found.without_overlay) else 'no'}; "
        f"ApplicationSet matches every overlay folder: "
        f"{'yes' if not found.unmatched else 'no'}"
    )
    for kind in ("unbuildable", "without_render", "without_overlay", "unmatched"):
        for item in getattr(found, kind):
            report.problem(f"deployment, {kind.replace('_', ' ')}: {item}")


def _fleet_up(clone: Clone, names: list[str], args: argparse.Namespace, report: Report) -> None:
    env = clone.env | {"FLEET_SKIP_BUILD": "1", "FLEET_READY_TIMEOUT": str(args.ready_timeout)}
    dist = clone.root / "dist"
    try:
        with running_fleet(
            clone.root, dist, args.ready_timeout, command=["./fleet", "up"], env=env
        ) as fleet:
            time.sleep(args.settle)
            usage = fleet.usage()
            down = clone.run("fleet down", ["./fleet", "down"], env=fleet.env, timeout=300)
            try:
                stopped: int | None = fleet.runner.wait(120)
            except subprocess.TimeoutExpired:  # stopped with Ctrl-C on leaving
                stopped = None
    except RuntimeError as exc:
        report.problem(f"fleet up of {len(names)} services: {exc}")
        return
    services = [u for u in usage if u.process in names]
    total, of_services = sum(u.rss_mb for u in usage), sum(u.rss_mb for u in services)
    report.figures["fleet_up"] = {
        "ready_s": round(fleet.ready_s, 1),
        "reported_ready_s": fleet.reported_ready_s,
        "rss_mb": {u.process: round(u.rss_mb, 1) for u in usage},
        "total_rss_mb": round(total, 1),
        "services_rss_mb": round(of_services, 1),
    }
    report.fact(
        f"./fleet up of {len(names)} services: ready in {fleet.ready_s:.1f} s (the "
        f"runner says {fleet.reported_ready_s} s); {len(services)} service processes"
    )
    for u in usage:
        report.fact(f"  RSS {u.process}: {u.rss_mb:.1f} MB")
    heaviest = max(services, key=lambda u: u.rss_mb, default=None)
    report.fact(
        f"RSS: {total:.0f} MB in all ({len(usage)} processes), services {of_services:.0f} "
        f"MB, mean {of_services / max(len(services), 1):.1f} MB, heaviest "
        f"{heaviest.process if heaviest else '-'} "
        f"{heaviest.rss_mb if heaviest else 0:.1f} MB"
    )
    if len(services) != len(names):
        report.problem(f"fleet up ran {len(services)} of {len(names)} services")
    report.fact(
        f"./fleet down: {down.verdict} in {down.seconds:.1f} s; the runner exited {stopped}"
    )
    if not down.ok or stopped != 0:
        report.problem(f"./fleet down {down.verdict}, runner exit {stopped}:\n{down.tail()}")


def _checks(clone: Clone, args: argparse.Namespace, report: Report) -> None:
    servers = [v for v in ("DATABASE_URL", "MQTT_URL") if v in clone.env]
    report.fact(
        f"checks run with {', '.join(servers) or 'no DATABASE_URL/MQTT_URL'} set "
        f"(unset: the tests' embedded defaults)"
    )
    # The quick ones first: their verdicts come in minutes, test's in hours at 20 services.
    for goal, options in (("lint", []), ("check", []), ("test", ["--test-force"])):
        run = clone.pants(f"{goal} everything", goal, *options, "::", timeout=args.goal_timeout)
        counts = report.judge(f"{goal}_all", run)
        report.fact(
            f"./pants {goal} :: {run.verdict} in {run.seconds / 60:.1f} min ({counts.summary})"
        )


def _selection(
    clone: Clone, generated: list[str], args: argparse.Namespace, report: Report
) -> None:
    """What a one-line change selects: in a generated service (timed `test` of it), then in
    the sample the generated ones call."""
    tests = _listed(clone, "--filter-target-type=python_test", "list", "::")
    report.figures["test_targets"] = len(tests)
    report.fact(f"test targets in the {len(descriptors(clone.root))}-service fleet: {len(tests)}")
    touched = generated[min(7, len(generated)) - 1]
    for name in (touched, _sample(clone)):
        path = f"services/{name}/service/model.py"
        clone.append_comment(path, _CHANGE)
        clone.commit(f"a one-line change to {path} (fleet_scale)")
        selected = _listed(
            clone,
            "--changed-since=HEAD~1",
            "--changed-dependents=transitive",
            "--filter-target-type=python_test",
            "list",
        )
        outside = [t for t in selected if not t.startswith(f"services/{name}/")]
        share = len(selected) / max(len(tests), 1)
        report.figures[f"selected_by_{name}"] = {"selected": selected, "outside": outside}
        report.fact(
            f"a change to {path} selects {len(selected)} of {len(tests)} test targets "
            f"({share:.0%}), {len(outside)} outside services/{name}/"
        )
        for target in outside:
            report.fact(f"  outside: {target}")
        if name == touched and not args.skip_checks:
            _time_selected(clone, args, report)


def _time_selected(clone: Clone, args: argparse.Namespace, report: Report) -> None:
    run = clone.pants(
        "test what one change selects",
        "--changed-since=HEAD~1",
        "--changed-dependents=transitive",
        "--filter-target-type=python_test",  # README's command: no test generators' siblings
        "test",
        "--test-force",
        timeout=args.goal_timeout,
    )
    counts = report.judge("selected_test", run)
    baseline = report.figures.get("baseline_test", {}).get("seconds")
    versus = f"; {run.seconds / baseline:.2f}x the baseline's test ::" if baseline else ""
    report.fact(
        f"CI for that one-service change (./pants --changed-since=HEAD~1 "
        f"--changed-dependents=transitive --filter-target-type=python_test test): {run.verdict} in "
        f"{run.seconds / 60:.1f} min ({counts.summary}){versus}"
    )


def _sample(clone: Clone) -> str:
    """The sample service a generated one calls: the first to start with a database that is
    not the identity service."""
    fleet = descriptors(clone.root)
    return next(d.name for d in in_start_order(fleet) if not d.identity and d.database)


def _listed(clone: Clone, *args: str) -> list[str]:
    """The addresses a `list` prints (its warnings on stderr share the log: left out)."""
    run = clone.pants("list " + " ".join(a for a in args if a != "list"), *args, timeout=1800)
    if not run.ok:
        raise StepFailed(f"./pants {' '.join(args)} {run.verdict}:\n{run.tail()}")
    return [line for line in run.output().splitlines() if _ADDRESS.fullmatch(line.strip())]


def _write(report: Report, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    body = {"facts": report.facts, "problems": report.problems, **report.figures}
    out.write_text(json.dumps(body, indent=2) + "\n")


if __name__ == "__main__":
    main()
