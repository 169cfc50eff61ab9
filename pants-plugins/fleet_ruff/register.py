"""`ruff check` and `ruff format` for `./pants lint`, `fix` and `fmt`.

Pants 2.17's ruff backend runs `ruff <files>`, which current ruff no longer accepts, and has no
formatter. This backend reuses its `[ruff]` subsystem (version, resolve, config discovery) and calls
the two subcommands explicitly. `lint` runs the formatter in check mode, so unformatted code fails CI.
"""

from __future__ import annotations

from typing import Any

from pants.backend.python.lint.ruff import skip_field, subsystem
from pants.backend.python.lint.ruff.subsystem import Ruff, RuffFieldSet
from pants.backend.python.util_rules import pex
from pants.backend.python.util_rules.pex import PexRequest, VenvPex, VenvPexProcess
from pants.core.goals.fix import FixResult, FixTargetsRequest
from pants.core.goals.fmt import FmtResult, FmtTargetsRequest
from pants.core.goals.lint import LintResult, LintTargetsRequest
from pants.core.util_rules.config_files import ConfigFiles, ConfigFilesRequest
from pants.core.util_rules.partitions import PartitionerType
from pants.core.util_rules.source_files import SourceFiles, SourceFilesRequest
from pants.engine.fs import Digest, MergeDigests
from pants.engine.internals.native_engine import Snapshot
from pants.engine.process import FallibleProcessResult
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.util.logging import LogLevel
from pants.util.meta import classproperty
from pants.util.strutil import pluralize


class RuffCheckRequest(LintTargetsRequest):
    field_set_type = RuffFieldSet
    tool_subsystem = Ruff
    partitioner_type = PartitionerType.DEFAULT_SINGLE_PARTITION


class RuffCheckFixRequest(FixTargetsRequest):
    field_set_type = RuffFieldSet
    tool_subsystem = Ruff
    partitioner_type = PartitionerType.DEFAULT_SINGLE_PARTITION

    @classproperty
    def tool_name(cls) -> str:
        return "ruff check --fix"


class RuffFormatRequest(FmtTargetsRequest):
    field_set_type = RuffFieldSet
    tool_subsystem = Ruff
    partitioner_type = PartitionerType.DEFAULT_SINGLE_PARTITION

    @classproperty
    def tool_name(cls) -> str:
        return "ruff format"


async def _run(ruff: Ruff, snapshot: Snapshot, *command: str) -> FallibleProcessResult:
    ruff_pex, config_files = await MultiGet(
        Get(VenvPex, PexRequest, ruff.to_pex_request()),
        Get(ConfigFiles, ConfigFilesRequest, ruff.config_request(snapshot.dirs)),
    )
    input_digest = await Get(Digest, MergeDigests((snapshot.digest, config_files.snapshot.digest)))
    config = (f"--config={ruff.config}",) if ruff.config else ()
    return await Get(
        FallibleProcessResult,
        VenvPexProcess(
            ruff_pex,
            argv=(*command, *config, *ruff.args, *snapshot.files),
            input_digest=input_digest,
            output_files=snapshot.files,
            description=f"Run ruff {' '.join(command)} on {pluralize(len(snapshot.files), 'file')}.",
            level=LogLevel.DEBUG,
        ),
    )


@rule(desc="Lint with ruff check", level=LogLevel.DEBUG)
async def ruff_check(request: RuffCheckRequest.Batch[RuffFieldSet, Any], ruff: Ruff) -> LintResult:
    sources = await Get(SourceFiles, SourceFilesRequest(fs.source for fs in request.elements))
    result = await _run(ruff, sources.snapshot, "check")
    return LintResult.create(request, result, strip_chroot_path=True)


@rule(desc="Fix with ruff check --fix", level=LogLevel.DEBUG)
async def ruff_check_fix(request: RuffCheckFixRequest.Batch, ruff: Ruff) -> FixResult:
    result = await _run(ruff, request.snapshot, "check", "--fix")
    return await FixResult.create(request, result, strip_chroot_path=True)


@rule(desc="Format with ruff format", level=LogLevel.DEBUG)
async def ruff_format(request: RuffFormatRequest.Batch, ruff: Ruff) -> FmtResult:
    result = await _run(ruff, request.snapshot, "format")
    return await FmtResult.create(request, result, strip_chroot_path=True)


def rules():
    return [
        *collect_rules(),
        *RuffCheckRequest.rules(),
        *RuffCheckFixRequest.rules(),
        *RuffFormatRequest.rules(),
        *pex.rules(),
        *skip_field.rules(),
        *subsystem.rules(),
    ]
