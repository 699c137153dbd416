"""The problem ``type`` catalogue (``api.errors.ProblemType``): one list of the types the API
answers, each with its meaning, documented in the README, and no module writing its own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from api.errors import PROBLEM_PREFIX, ProblemType

ROOT = Path(__file__).resolve().parent.parent
API = ROOT / "api"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A type named in code, docs or tests; one followed by "{" or '" +' is only a prefix
# that the code completes (the idempotency outcomes, a test's parametrised type).
NAMED = re.compile(re.escape(PROBLEM_PREFIX) + r"([a-z0-9-]*[a-z0-9])(?![-{a-z0-9])")
# ``PROBLEM + "slug"`` in the modules still allowed to build types (below).
BUILT = re.compile(r'PROBLEM \+ "([a-z0-9-]+)"')

# Modules that still write or build their types from the prefix, for now: api/idempotency.py
# builds ``idempotency-<outcome>`` (another change under way). Remove it once it names
# ProblemType members.
NOT_YET_CONVERTED = {"api/idempotency.py"}
NOT_YET_CONVERTED_FOLDERS: tuple[str, ...] = ()


def _not_yet_converted(relative: str) -> bool:
    return relative in NOT_YET_CONVERTED or relative.startswith(NOT_YET_CONVERTED_FOLDERS)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the constants that are docstrings (they may name a type for the reader)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def problem_type_builders(api: Path) -> list[str]:
    """Where a module below ``api`` writes a type's URN or its prefix itself, outside
    ``errors.py`` and docstrings, or uses ``PROBLEM_PREFIX``: ``path:line``."""
    found = []
    for path in sorted(api.rglob("*.py")):
        relative = path.relative_to(api.parent).as_posix()
        if relative == "api/errors.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            writes = (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and PROBLEM_PREFIX in node.value
                and id(node) not in docstrings
            )
            uses_prefix = (isinstance(node, ast.Name) and node.id == "PROBLEM_PREFIX") or (
                isinstance(node, ast.alias) and node.name == "PROBLEM_PREFIX"
            )
            if writes or uses_prefix:
                found.append(f"{relative}:{getattr(node, 'lineno', 0)}")
    return found


def test_catalogue_values_are_unique_urns_with_a_meaning() -> None:
    values = [member.value for member in ProblemType]
    assert len(values) == len(set(values))
    for member in ProblemType:
        assert member.value.startswith(PROBLEM_PREFIX), member
        assert SLUG.fullmatch(member.value.removeprefix(PROBLEM_PREFIX)), member
        assert member.name == member.value.removeprefix(PROBLEM_PREFIX).upper().replace("-", "_")
        assert member.meaning.strip() and "\n" not in member.meaning, member
        # A member is the URN itself wherever a str goes (JSON bodies, comparisons).
        assert member == member.value and str(member) == member.value


def test_no_module_writes_its_own_problem_types() -> None:
    found = [
        where
        for where in problem_type_builders(API)
        if not _not_yet_converted(where.partition(":")[0])
    ]
    assert found == [], "name an api.errors.ProblemType member instead: " + ", ".join(found)


def test_the_check_finds_a_module_building_types_from_the_prefix(tmp_path: Path) -> None:
    api = tmp_path / "api"
    api.mkdir()
    (api / "service.py").write_text(
        '"""Docstrings may name urn:opvang:problem:duplicate for the reader."""\n'
        'PROBLEM = "urn:opvang:problem:"\n'
        "from api.errors import PROBLEM_PREFIX\n"
        "TYPE = PROBLEM_PREFIX + 'x'\n"
    )
    assert problem_type_builders(api) == [
        "api/service.py:2",
        "api/service.py:3",
        "api/service.py:4",
    ]


def _named_types() -> dict[str, set[str]]:
    """Every type named anywhere a client or the code could get one from: ``slug``
    -> the files that name it."""
    named: dict[str, set[str]] = {}
    sources = [*API.rglob("*.py"), *(ROOT / "tests").rglob("*.py"), ROOT / "openapi.yaml"]
    sources += [p for p in (ROOT / "frontend" / "src").rglob("*.ts") if p.is_file()]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        slugs = set(NAMED.findall(text))
        if path.is_relative_to(API):
            slugs |= set(BUILT.findall(text))
        for slug in slugs:
            named.setdefault(slug, set()).add(path.relative_to(ROOT).as_posix())
    return named


def test_every_type_the_code_and_its_tests_name_is_in_the_catalogue() -> None:
    catalogue = {member.value.removeprefix(PROBLEM_PREFIX) for member in ProblemType}
    unknown = {slug: sorted(files) for slug, files in _named_types().items()}
    unknown = {slug: files for slug, files in unknown.items() if slug not in catalogue}
    assert unknown == {}, "add these to api.errors.ProblemType"
    # api/idempotency.py completes "idempotency-" with its outcomes.
    assert {"idempotency-mismatch", "idempotency-in-flight"} <= catalogue


def _readme_table() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Problem types", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (.+?) \|$", section, re.M)
    return dict(rows)


def test_readme_documents_every_type_in_the_catalogue() -> None:
    expected = {member.value.removeprefix(PROBLEM_PREFIX): member.meaning for member in ProblemType}
    table = "\n".join(f"| `{slug}` | {meaning} |" for slug, meaning in expected.items())
    assert _readme_table() == expected, "README's Problem types table should read:\n" + table
