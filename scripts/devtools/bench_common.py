"""What every benchmark section shares: its result table (Section), a timed build, sizes."""
from __future__ import annotations

import dataclasses
import gzip
import resource
import time
from pathlib import Path

from devtools.site_build import mkdocs_build


@dataclasses.dataclass
class Section:
    name: str
    title: str
    rows: list[tuple[str, str]]
    notes: list[str] = dataclasses.field(default_factory=list)
    ok: bool = True

    def markdown(self) -> str:
        lines = [f"## {self.title}", "", "| Measure | Value |", "| --- | --- |"]
        lines += [f"| {name} | {value} |" for name, value in self.rows]
        if self.notes:
            lines += [""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines)


# ---------------------------------------------------------------- helpers
def build(project: Path, site: str = "site", config: str = "mkdocs.yml") -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `mkdocs build`. CPU time counts the build's own work
    (and its git subprocess): other load on a shared machine stretches wall time far more."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = mkdocs_build(project / site, project / config, strict=False, quiet=True)
    seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(f"build of {project} failed:\n{result.stderr[-4000:]}")
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return seconds, cpu


def sizes(data: bytes) -> tuple[int, int]:
    return len(data), len(gzip.compress(data, compresslevel=6))


def kib(n: float) -> str:
    return f"{n / 1024:,.1f} KiB"


def print_table(section: Section, flush: bool = False) -> None:
    width = max(len(name) for name, _ in section.rows)
    print(f"\n{section.title}\n" + "-" * (width + 40))
    for name, value in section.rows:
        print(f"{name:<{width}}  {value}", flush=flush)
