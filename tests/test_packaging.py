"""The project's packaging agrees with itself: pyproject.toml, requirements.in and the lock file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def requirement_lines(name: str) -> list[str]:
    """The requirement lines of a requirements file: no comments, no options (-c, -r)."""
    lines = (re.sub(r"\s+#.*", "", line).strip() for line in (ROOT / name).read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith(("#", "-"))]


def by_name(lines: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(req.name): req for req in map(Requirement, lines)}


def test_pyproject_dependencies_are_requirements_in():
    """One list of runtime dependencies: pyproject.toml's (for pip install .) is requirements.in's (for the lock)."""
    project = by_name(PYPROJECT["project"]["dependencies"])
    locked_input = by_name(requirement_lines("requirements.in"))
    assert {name: str(req.specifier) for name, req in project.items()} == {
        name: str(req.specifier) for name, req in locked_input.items()
    }


def test_the_lock_pins_every_direct_dependency_within_its_range():
    pins = {name: req.specifier for name, req in by_name(requirement_lines("requirements.txt")).items()}
    for name, req in by_name(requirement_lines("requirements.in")).items():
        assert name in pins, f"{name} is not in requirements.txt: run make lock"
        [pin] = list(pins[name])
        assert pin.operator == "==" and req.specifier.contains(pin.version), (name, str(pin), str(req.specifier))


def test_every_package_and_its_data_is_listed():
    """Each importable folder of the packaged roots is in [tool.setuptools] packages, and exists."""
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    roots = {name.split(".")[0] for name in listed}
    found = {".".join(init.parent.relative_to(ROOT).parts) for root in roots for init in (ROOT / root).rglob("__init__.py")}
    assert listed == found
    for package, patterns in PYPROJECT["tool"]["setuptools"]["package-data"].items():
        folder = ROOT.joinpath(*package.split("."))
        for pattern in patterns:
            assert list(folder.glob(pattern)), (package, pattern)


def test_pages_and_app_import_no_sandbox():
    """The contracts in pyproject.toml cover the packages; the page scripts are not a package, so check them here."""
    import ast

    for script in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        tree = ast.parse(script.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {name for name in imported if name.split(".")[0] in ("sandbox", "cardocr", "kyc", "workflows")}, script


def test_an_editable_install_in_a_fresh_venv_imports_the_public_api(tmp_path):
    """`pip install -e .` in a new venv, offline: the project's own build, with the dependencies taken from .venv."""
    import site
    import subprocess
    import venv

    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # The dependencies come from this interpreter's site-packages (a .pth line), so nothing is downloaded.
    fresh_site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    Path(fresh_site, "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    install = [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--no-build-isolation", "-e", str(ROOT)]
    done = subprocess.run(install, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    check = "import kyc; from kyc import NpwpClient, IncomeClient, IncomeRequest, KycError; print(kyc.__version__, kyc.__file__)"
    done = subprocess.run([python, "-c", check], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    version, location = done.stdout.split()
    assert version == _version() and Path(location).is_relative_to(ROOT)  # the repository's own code, editable


def _version() -> str:
    """kyc.__version__ as written in the source (pyproject.toml reads the version from there)."""
    return re.search(r'__version__ = "([^"]+)"', (ROOT / "kyc" / "__init__.py").read_text()).group(1)
