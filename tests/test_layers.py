"""The layering rules, read from every module's imports.

- The engine imports no Django and nothing of upward outside the engine.
- Core imports no app.
- An app imports another app only through its services, selectors, access or
  models (a module or a package of that name), never its views, api, forms, urls...
- Project-level modules (upward/*.py) wire everything together and may import anything;
  so may tests inside an app or core, which set up whole scenarios (engine tests may not:
  the engine is tested without Django).

Imports inside functions and under TYPE_CHECKING count like any other.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "upward"
# What one app may import from another.
PUBLIC_MODULES = frozenset({"services", "selectors", "access", "models"})
# Further modules an app shares with every other, each with the reason.
SHARED_MODULES = {
    "accounts": {
        "current": "the organization a request works in, which every app's pages follow",
        "relationships": "how a viewer stands to a subject, the input to every visibility check",
    },
}
# Libraries the engine may not use: it is plain Python, testable without Django.
FRAMEWORK_PACKAGES = frozenset({"django", "ninja", "allauth", "django_htmx", "template_partials"})


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    imported: str
    rule: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported}: {self.rule}"


def module_name(path: Path) -> str:
    """Return the dotted name of a file under upward/ (a package is its __init__)."""
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(tree: ast.AST, module: str, *, is_package: bool) -> list[tuple[int, str]]:
    """Every module name imported anywhere in `tree`, with its line.

    `from a import b` yields `a.b`, since b may be a module; rules only look at
    the first components, so a name that is not a module does no harm.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package=is_package)
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def _absolute(node: ast.ImportFrom, module: str, *, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if not is_package:
        package.pop()
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, node.module] if node.module else package)


def layer_of(module: str) -> str:
    """'engine', 'core', an app's name, or 'project' for upward/*.py."""
    parts = module.split(".")
    if len(parts) > 1 and (ROOT / parts[1]).is_dir():
        return parts[1]
    return "project"


def check_import(module: str, imported: str) -> str | None:
    """The rule `module` breaks by importing `imported`, or None."""
    layer = layer_of(module)
    parts = imported.split(".")
    if layer == "project":
        return None
    if layer == "engine":
        if parts[0] in FRAMEWORK_PACKAGES:
            return "the engine imports no Django"
        if parts[0] == "upward" and parts[1:2] != ["engine"]:
            return "the engine imports nothing outside the engine"
        return None
    if parts[0] != "upward" or len(parts) < 2 or "tests" in module.split("."):
        return None
    target = layer_of(imported)
    if target in ("engine", layer):
        return None
    if target == "project":
        return f"{layer} imports no project-level module"
    if layer == "core":
        return "core imports no app"
    if target == "core":
        return None
    if parts[2:3] and parts[2] in PUBLIC_MODULES | SHARED_MODULES.get(target, {}).keys():
        return None
    return f"an app imports another app only through its {', '.join(sorted(PUBLIC_MODULES))}"


def violations_in(source: str, module: str, *, is_package: bool = False) -> list[Violation]:
    tree = ast.parse(source)
    return [
        Violation(module, line, imported, rule)
        for line, imported in imported_names(tree, module, is_package=is_package)
        if (rule := check_import(module, imported))
    ]


def all_violations() -> list[Violation]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        module = module_name(path)
        source = path.read_text(encoding="utf-8")
        found += violations_in(source, module, is_package=path.name == "__init__.py")
    return found


def test_every_module_keeps_to_its_layer():
    wrong = [str(v) for v in all_violations()]
    assert wrong == [], "Layering broken:\n" + "\n".join(wrong)


def test_the_checker_reads_the_whole_tree():
    # Guards the test above from passing vacuously.
    modules = {module_name(path) for path in ROOT.rglob("*.py")}
    assert {"upward.engine.delta", "upward.core.http", "upward.accounts.services"} <= modules
    assert len(modules) > 100


@pytest.mark.parametrize(
    ("module", "source", "rule"),
    [
        ("upward.engine.delta", "import django", "the engine imports no Django"),
        ("upward.engine.delta", "from django.db import models", "the engine imports no Django"),
        ("upward.engine.delta", "from upward.core import audit", "outside the engine"),
        ("upward.core.http", "from upward.accounts.models import User", "core imports no app"),
        ("upward.core.http", "from upward.urls import urlpatterns", "no project-level module"),
        ("upward.frameworks.services", "from upward.accounts import views", "only through"),
        ("upward.frameworks.services", "from upward.accounts.views import x", "only through"),
        ("upward.frameworks.services", "import upward.accounts.api", "only through"),
        ("upward.frameworks.services", "from upward.accounts.forms import F", "only through"),
        ("upward.frameworks.services", "from upward import demo", "no project-level module"),
        ("upward.frameworks.views.common", "from ...accounts import views", "only through"),
        ("upward.frameworks.services", "from upward.assessments.current import x", "only through"),
        ("upward.engine.tests.test_delta", "import django.test", "the engine imports no Django"),
        (
            "upward.frameworks.services",
            "def load():\n    from upward.assessments.views.common import x\n",
            "only through",
        ),
        (
            "upward.frameworks.services",
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from upward.accounts.api import Schema\n",
            "only through",
        ),
    ],
)
def test_the_checker_catches_a_planted_import(module, source, rule):
    found = violations_in(source, module)
    assert len(found) == 1, found
    assert rule in found[0].rule
    assert found[0].module == module


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("upward.engine.delta", "from upward.engine.framework import FrameworkDocument"),
        ("upward.engine.delta", "from . import diff\nimport json"),
        ("upward.core.http", "from django.shortcuts import render\nfrom upward.engine import x"),
        ("upward.assessments.views.common", "from upward.accounts.models import User"),
        ("upward.assessments.views.common", "from upward.accounts import access, selectors"),
        ("upward.assessments.views", "from upward.accounts.services.invites import invite"),
        ("upward.assessments.views.delta", "from upward.core.http import render_page"),
        ("upward.assessments.views.delta", "from ..forms import StepsForm"),
        ("upward.demo", "from upward.accounts.demo import load"),
        ("upward.assessments.views.delta", "from upward.accounts.current import x"),
        ("upward.assessments.tests.test_api", "from upward.frameworks.tests.factories import x"),
        ("upward.urls", "from upward.accounts import views"),
    ],
)
def test_the_checker_allows_what_the_rules_allow(module, source):
    assert violations_in(source, module, is_package=module == "upward.assessments.views") == []
