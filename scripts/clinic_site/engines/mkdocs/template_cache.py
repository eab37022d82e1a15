"""Templates compiled once, not once a build.

MkDocs makes a new Jinja environment for every build, so every build parsed and compiled the
theme's templates again (about a fifth of a sample-site build, 0.5 to 1 s: `clinic serve`
rebuilding on each save, `clinic check` then `clinic build`, the tests' builds). Each environment
gets this cache (jinja2.BytecodeCache) in two levels:

- in memory, for the life of the process (the builds of `clinic serve`, the tests' in-process
  builds);
- on disk, in Jinja's own private folder for this user (`$TMPDIR/_jinja2-cache-<uid>`, mode 0700,
  refused by Jinja if anyone else owns it or can write to it), so the next `clinic check` or
  `clinic build` starts with compiled templates too. Never in the project's folder: compiled
  templates are code, and a file there could be changed by anyone who can commit. Where that
  folder cannot be made safe, only the memory level is used.

A template is compiled again whenever its source changes: Jinja compares a checksum of the
source with the one stored beside the compiled code, at either level. Entries are keyed by the
template's name, not its file: a copy of the project (the tests build dozens) finds the
templates it shares with the first one already compiled, and a template whose source differs
under the same name fails the checksum and is compiled again.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2

PATTERN = "clinic-site-%s.jinja"   # the name of each compiled template's file in the folder


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates in memory and, when `disk` is given, in that folder too, keyed by the
    template's name (such as "partials/header.html"), each checked against its source's checksum
    by Jinja."""

    def __init__(self, disk: Path | None = None) -> None:
        self._compiled: dict[str, bytes] = {}
        # Files named for this site's builds only: the folder is shared with any Jinja program of
        # the user, whose files `clear` leaves alone.
        self.disk = jinja2.FileSystemBytecodeCache(str(disk), PATTERN) if disk is not None else None

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The key of template `name` (a hex digest, usable as a file name), whatever file it was read from."""
        return hashlib.sha1(name.encode("utf-8")).hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)
            if bucket.code is not None:
                return
        if self.disk is not None:
            try:
                self.disk.load_bytecode(bucket)
            except (OSError, ValueError, EOFError, TypeError):
                bucket.reset()
            if bucket.code is not None:
                self._compiled[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            try:
                self.disk.dump_bytecode(bucket)
            except OSError:
                pass   # a full or read-only disk: the memory level still serves this process

    def clear(self) -> None:
        """Forget every compiled template, in memory and this cache's files on disk."""
        self._compiled.clear()
        if self.disk is not None:
            self.disk.clear()


def _private_folder() -> Path | None:
    """Jinja's per-user folder for compiled templates, or None where it cannot be made private."""
    try:
        return Path(jinja2.FileSystemBytecodeCache().directory)
    except (OSError, RuntimeError):
        return None


_CACHE: TemplateCache | None = None


def cache() -> TemplateCache:
    """This process's cache (made at the first build)."""
    global _CACHE
    if _CACHE is None:
        _CACHE = TemplateCache(_private_folder())
    return _CACHE


def install(env: jinja2.Environment, using: TemplateCache | None = None) -> jinja2.Environment:
    """`env` with `using` (default: this process's cache) as its bytecode cache (MkDocs' on_env)."""
    env.bytecode_cache = using if using is not None else cache()
    return env
