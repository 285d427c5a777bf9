"""The application's metadata for every installer, from pyproject.toml (the one place it is written).

The spec, build-linux and the Inno Setup script all read it from here:
`python packaging/project.py` prints it as shell assignments, `--iss FILE` writes Inno Setup defines.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    name: str            # the distribution and executable name: vsm-desktop
    display_name: str    # VSM Desktop
    version: str
    description: str
    app_id: str
    publisher: str
    homepage: str
    inno_app_id: str
    categories: tuple[str, ...]
    summary_cy: str
    summary_en: str


def _attr(module_path: Path, name: str) -> str:
    """A module-level string constant, read without importing the package."""
    for node in ast.parse(module_path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"{name} not found in {module_path}")


def load(root: Path = ROOT) -> Project:
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project, tool = data["project"], data["tool"]
    attr = tool["setuptools"]["dynamic"]["version"]["attr"]          # vsm_desktop.__version__
    module, _dot, name = attr.rpartition(".")
    init = root / Path(*module.split(".")) / "__init__.py"
    extra = tool["vsm-desktop"]["packaging"]
    return Project(
        name=project["name"], display_name=_attr(init, "APP_NAME"), version=_attr(init, name),
        description=project["description"], app_id=extra["app_id"], publisher=extra["publisher"],
        homepage=extra["homepage"], inno_app_id=extra["inno_app_id"], categories=tuple(extra["categories"]),
        summary_cy=extra["summary_cy"], summary_en=extra["summary_en"],
    )


def inno_defines(p: Project) -> str:
    lines = [f'#define {key} "{value}"' for key, value in (
        ("AppName", p.display_name), ("AppVersion", p.version), ("AppPublisher", p.publisher),
        ("AppURL", p.homepage), ("AppExeName", f"{p.name}-gui.exe"), ("AppCliName", f"{p.name}.exe"),
        ("AppDirName", p.name))]
    # Inno Setup reads "{{" as a literal brace: the GUID keeps its braces in the registry key.
    lines.append(f'#define AppId "{{{p.inno_app_id}"')
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    p = load()
    if argv[:1] == ["--iss"] and len(argv) == 2:
        Path(argv[1]).parent.mkdir(parents=True, exist_ok=True)
        Path(argv[1]).write_text(inno_defines(p), encoding="utf-8")
        return 0
    import shlex

    for key in ("name", "display_name", "version", "app_id", "summary_en", "summary_cy", "homepage", "publisher"):
        print(f"{key.upper()}={shlex.quote(getattr(p, key))}")
    print(f"CATEGORIES={shlex.quote(';'.join(p.categories) + ';')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
