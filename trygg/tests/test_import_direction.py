"""The spine runs one way: source → event → picture → measure → follow-up. Each app may import
its own layer and the layers below it, never one above; see docs/architecture.md and
docs/decisions/0014. The check reads every module under trygg/ with `ast`: `import x`,
`from x import y` (at module level and inside functions), dotted paths written as strings
("trygg.events.jobs.run_import_job", for importlib, include() and registries) and Django's
lazy model references ("organisations.Organisation" in a ForeignKey)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import trygg

# Lowest first. Apps in one layer are siblings: they stay independent of each other.
LAYERS: list[tuple[str, ...]] = [
    ("analysis",),  # pure functions: no Django, no other part of trygg (checked below)
    ("core",),
    ("places",),
    ("organisations",),
    ("events",),
    ("situation",),
    ("measures",),
    # Ways of creating events and grouping measures, still to come.
    ("walks", "citizens", "surveys", "promises", "presence"),
    # Work that draws on several of the siblings at once: Purple Flag (walks and measures).
    ("purpleflag",),
    ("demo",),
    # The project: settings, URLs, the API, the console command, wsgi, shared fixtures and the
    # tests of the whole. It may import everything; nothing but tests imports it.
    ("__init__", "settings", "urls", "api", "cli", "wsgi", "conftest", "tests"),
]
PROJECT = len(LAYERS) - 1
LAYER_OF = {name: number for number, names in enumerate(LAYERS) for name in names}

# Model references that point up a layer on purpose, by (file, reference), with the reason. A
# string reference is a relation between tables, not an import: places never runs code of
# organisations, but a place's manager is an organisation, as an organisation's home is a
# municipality.
KNOWN_UPWARD_MODEL_REFERENCES = {
    ("trygg/places/models.py", "organisations.Organisation"): "Place.manager",
}

DOTTED_PATH = re.compile(r"trygg(\.[A-Za-z_]\w*)+")
MODEL_REFERENCE = re.compile(r"([a-z_]+)\.([A-Z]\w*)")
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}

FIX = (
    "The spine runs one way (analysis, core → places → organisations → events → situation → "
    "measures → walks, citizens, … → purpleflag → demo → project). Move what both need down "
    "to the lower layer (shared helpers into core), or let the higher app hand itself to the "
    "lower one from its AppConfig.ready, as measures registers its pack section "
    "(trygg/situation/pack_sections.py) and its periodic work (trygg/core/jobs.py). "
    "See docs/decisions/0014."
)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str | None:
    """The app (or project module) a trygg module belongs to; None outside trygg."""
    parts = module.split(".")
    if parts[0] != "trygg":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py"


def references(tree: ast.AST, package: str, in_migration: bool):
    """(line, kind, text, trygg part or Django app label) for each import, dotted-path string
    and model reference in one module; kind is "import", "path" or "model"."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, "import", f"import {alias.name}", part_of(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from trygg import events` imports trygg.events.
                target = f"{base}.{alias.name}" if base == "trygg" else base
                yield node.lineno, "import", f"from {base} import {alias.name}", part_of(target)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if DOTTED_PATH.fullmatch(node.value):
                yield node.lineno, "path", node.value, part_of(node.value)
        elif isinstance(node, ast.Call) and not in_migration and _called(node) in RELATIONS:
            to = node.args[0] if node.args else _keyword(node, "to")
            if isinstance(to, ast.Constant) and isinstance(to.value, str):
                match = MODEL_REFERENCE.fullmatch(to.value)
                if match:
                    yield node.lineno, "model", to.value, match.group(1)


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _keyword(call: ast.Call, name: str):
    return next((k.value for k in call.keywords if k.arg == name), None)


def violations(root: Path) -> list[str]:
    """Every reference from a module under root/trygg to a higher layer (or a sibling app),
    as 'file:line: message'."""
    found = []
    for path in sorted((root / "trygg").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        module = module_name(path, root)
        own = part_of(module)
        if own not in LAYER_OF:
            found.append(f"{relative}:1: trygg.{own} is in no layer: add it to LAYERS here.")
            continue
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        in_migration = "migrations" in path.parts
        for line, kind, text, other in references(tree, package, in_migration):
            if other is None or other == own:
                continue
            if kind != "import" and other not in LAYER_OF:
                continue  # not ours: "auth.User", a file name like "trygg.sqlite3"
            if kind == "model" and (relative, text) in KNOWN_UPWARD_MODEL_REFERENCES:
                continue
            problem = _problem(own, other, is_test(path))
            if problem:
                found.append(f"{relative}:{line}: {problem}: {text}. {FIX}")
    return found


def _problem(own: str, other: str, test: bool) -> str | None:
    if other not in LAYER_OF:
        return f"{own} imports trygg.{other}, which is in no layer"
    mine, theirs = LAYER_OF[own], LAYER_OF[other]
    if theirs == PROJECT and test:
        return None  # tests drive the project: its fixtures, the API, the console command
    if theirs > mine:
        return f"{own} (layer {mine}) refers to {other} (layer {theirs}), a higher layer"
    if theirs == mine and mine != PROJECT:
        return f"{own} refers to {other}, its sibling in layer {mine}; siblings stay apart"
    return None


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


ROOT = Path(trygg.__file__).resolve().parent.parent


def test_no_module_of_trygg_refers_to_a_higher_layer():
    found = violations(ROOT)
    assert not found, "\n".join(found)


def test_the_check_reads_every_app_of_trygg():
    apps = {path.parent.name for path in (ROOT / "trygg").glob("*/__init__.py")}
    assert apps >= {"core", "places", "organisations", "events", "situation", "measures"}
    assert apps <= set(LAYER_OF), f"apps in no layer: {apps - set(LAYER_OF)}"


def test_the_check_catches_upward_imports_strings_and_model_references(tmp_path):
    write(tmp_path, "trygg/__init__.py", "")
    write(tmp_path, "trygg/core/__init__.py", "")
    write(
        tmp_path,
        "trygg/core/planted.py",
        "import importlib\n"
        "from trygg.places.models import Area\n"  # downward for places, upward for core
        "\n"
        "\n"
        "def later():\n"
        "    from trygg.measures import pack\n"
        "    import trygg.events.models\n"
        "    return importlib.import_module('trygg.situation.picture')\n",
    )
    write(
        tmp_path,
        "trygg/places/models.py",
        "from django.db import models\n"
        "from trygg.core.audit import record_created\n"  # downward: allowed
        "area = models.ForeignKey('events.Event', on_delete=models.CASCADE)\n"
        "user = models.ForeignKey('auth.User', on_delete=models.CASCADE)\n"
        "manager = models.ForeignKey('organisations.Organisation', on_delete=models.CASCADE)\n",
    )
    write(tmp_path, "trygg/walks/views.py", "from trygg.citizens.models import Report\n")
    write(tmp_path, "trygg/events/tests/test_x.py", "from trygg.conftest import make\n")
    write(tmp_path, "trygg/events/views.py", "from trygg.api import api\n")
    write(tmp_path, "trygg/stray/thing.py", "")

    found = violations(tmp_path)

    where = sorted(line.split(": ", 1)[0] for line in found)
    assert where == [
        "trygg/core/planted.py:2",
        "trygg/core/planted.py:6",
        "trygg/core/planted.py:7",
        "trygg/core/planted.py:8",
        "trygg/events/views.py:1",
        "trygg/places/models.py:3",
        "trygg/stray/thing.py:1",
        "trygg/walks/views.py:1",
    ]
    first = next(line for line in found if line.startswith("trygg/core/planted.py:6"))
    assert "core (layer 1) refers to measures (layer 6), a higher layer" in first
    assert "AppConfig.ready" in first  # the message says how to fix it
    assert any("sibling" in line for line in found if line.startswith("trygg/walks"))


def test_analysis_imports_neither_django_nor_the_rest_of_trygg():
    found = []
    for path in sorted((ROOT / "trygg" / "analysis").rglob("*.py")):
        if is_test(path):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = module_name(path, ROOT)
        for line, kind, text, part in references(tree, package, in_migration=False):
            django = kind == "import" and text.split()[1].split(".")[0] == "django"
            if django or (kind != "model" and part not in (None, "analysis")):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text}")
    assert not found, "analysis takes arrays and plain values:\n" + "\n".join(found)
