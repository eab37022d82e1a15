"""The engine stays behind one adapter (issue 20): only clinic_site/engines/<engine>/ imports the
engine, its theme or its plugins, so the rest of the build (the problem model, the stage, the
post-build stage, the commands) is the same for every engine. Read from the code with Python's
own parser: an import inside a function counts as much as one at the top."""
from __future__ import annotations

import ast

import pytest

from tests.harness import PROJECT_ROOT

ENGINE_PACKAGES = ("mkdocs", "material", "mkdocs_redirects", "mkdocs_rss_plugin", "mkdocs_material",
                   "properdocs", "zensical")
ADAPTERS = PROJECT_ROOT / "scripts" / "clinic_site" / "engines"
CODE = sorted(path for folder in ("scripts", "tests") for path in (PROJECT_ROOT / folder).rglob("*.py"))
# Tests and developer tools may import the engine to test or time it; the package and the hook may not.
HELD = [path for path in CODE if path.is_relative_to(PROJECT_ROOT / "scripts")
        and not path.is_relative_to(ADAPTERS)]


# Each adapter imports its own engine only: the engine packages each adapter owns.
OWNED = {"mkdocs": {"mkdocs", "material", "mkdocs_redirects", "mkdocs_rss_plugin", "mkdocs_material", "properdocs"},
         "zensical": {"zensical"}}
IN_ADAPTERS = [path for path in CODE if path.is_relative_to(ADAPTERS) and path.parent != ADAPTERS]


def engine_imports(source: str) -> list[str]:
    """Every module named by an import statement of `source` that belongs to an engine package."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
        found += [name for name in names if name.split(".")[0] in ENGINE_PACKAGES]
    return found


@pytest.mark.parametrize("path", HELD, ids=lambda path: path.relative_to(PROJECT_ROOT).as_posix())
def test_only_the_adapter_imports_the_engine(path):
    assert engine_imports(path.read_text(encoding="utf-8")) == [], \
        f"{path.relative_to(PROJECT_ROOT)} imports the engine: move that code into clinic_site/engines/"


@pytest.mark.parametrize("path", IN_ADAPTERS, ids=lambda path: path.relative_to(PROJECT_ROOT).as_posix())
def test_each_adapter_imports_its_own_engine_only(path):
    adapter = path.relative_to(ADAPTERS).parts[0]
    foreign = [name for name in engine_imports(path.read_text(encoding="utf-8"))
               if name.split(".")[0] not in OWNED.get(adapter, set())]
    assert foreign == [], f"{path.relative_to(PROJECT_ROOT)} imports another engine: {foreign}"


def test_every_engine_package_has_its_adapter():
    assert set().union(*OWNED.values()) == set(ENGINE_PACKAGES)
    assert {path.name for path in ADAPTERS.iterdir() if (path / "__init__.py").is_file()} == set(OWNED)


def test_the_hook_is_one_line_into_the_adapter():
    hook = PROJECT_ROOT / "scripts" / "hooks" / "clinic.py"
    statements = ast.parse(hook.read_text(encoding="utf-8")).body
    code = [node for node in statements if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    assert len(code) == 1 and isinstance(code[0], ast.ImportFrom)
    assert code[0].module == "clinic_site.engines.mkdocs.plugin"
    assert [path.name for path in (PROJECT_ROOT / "scripts" / "hooks").glob("*.py")] == ["clinic.py"]


def test_the_rule_can_fail():
    assert engine_imports("import mkdocs") == ["mkdocs"]
    assert engine_imports("def f():\n    from material.plugins.blog import plugin\n") == ["material.plugins.blog"]
    assert engine_imports("from mkdocs_redirects import plugin") == ["mkdocs_redirects"]
    assert engine_imports("import markdown\nfrom pymdownx import slugs\nfrom . import mkdocs") == []
    assert engine_imports("def f():\n    import zensical\n") == ["zensical"]


def test_no_module_is_over_four_hundred_lines():
    package = [path for path in CODE if path.is_relative_to(PROJECT_ROOT / "scripts")]
    long = {path.relative_to(PROJECT_ROOT).as_posix(): count for path in package
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}, "split these modules (a newcomer reads the house in ten minutes): " + str(long)
