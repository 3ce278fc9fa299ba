"""The rooms of the package, and what each may import.

- ``screener/clinical/`` (the part a clinical reviewer audits) imports nothing outside itself but
  the standard library and pydantic: no documents, storage, command line, FHIR, language or
  Streamlit.
- No module of ``screener/`` imports Streamlit: the screens are ``app/``'s.
- Every module of ``screener/`` sits in a room (a subpackage), but for the package's own
  ``__init__`` and ``__main__`` and the shared settings resolver.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "screener"
PYDANTIC = {"pydantic", "pydantic_core", "annotated_types", "typing_extensions"}
TOP_LEVEL_MODULES = {"__init__.py", "__main__.py", "config.py"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (functions too), relative imports resolved."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            if not node.module:  # from . import a, b: each name is a module
                found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def modules_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


@pytest.mark.parametrize("path", modules_under(PACKAGE / "clinical"), ids=lambda path: path.name)
def test_the_clinical_core_imports_only_itself_the_standard_library_and_pydantic(path):
    outside = {name for name in imported(path)
               if not name.startswith("screener.clinical")
               and name.split(".")[0] not in sys.stdlib_module_names
               and name.split(".")[0] not in PYDANTIC}
    assert outside == set(), f"{path.relative_to(PROJECT)} imports {sorted(outside)}"


@pytest.mark.parametrize("path", modules_under(PACKAGE), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_module_of_the_package_imports_streamlit(path):
    assert not {name for name in imported(path) if name.split(".")[0] == "streamlit"}


def test_every_module_sits_in_a_room():
    loose = sorted(path.name for path in PACKAGE.glob("*.py") if path.name not in TOP_LEVEL_MODULES)
    assert loose == []


def test_the_checker_sees_relative_imports_from_any_depth(tmp_path):
    assert "screener.storage.store" in imported(PACKAGE / "storage" / "__init__.py")
    assert "screener.clinical.models" in imported(PACKAGE / "fhir" / "resources.py")
