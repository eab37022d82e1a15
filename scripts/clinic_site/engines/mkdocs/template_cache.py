"""Templates compiled once a process, not once a build.

MkDocs makes a new Jinja environment for every build, so every build parsed and compiled the
theme's templates again (about a fifth of a sample-site build: `clinic serve` rebuilding on each
save, `clinic check` then `clinic build`, the tests' builds in one process). Each environment
gets this process's in-memory bytecode cache (jinja2.BytecodeCache): a template is compiled
the first time, and again only when its source changes (Jinja compares a checksum of the source).
Nothing is written to disk: compiled templates are code, and a file in the project's folder
could be changed by anyone who can commit.
"""
from __future__ import annotations

import jinja2


class InMemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process, keyed by Jinja's bucket key
    (the template's name and file); each entry checked against its source's checksum by Jinja."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._compiled.clear()


CACHE = InMemoryBytecodeCache()


def install(env: jinja2.Environment) -> jinja2.Environment:
    """`env` with this process's bytecode cache (MkDocs' on_env)."""
    env.bytecode_cache = CACHE
    return env
