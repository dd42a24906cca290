"""The environment the tests run in: exactly requirements.txt, with lib installed."""

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_environment_is_exactly_requirements_txt():
    """The venv the tests run in holds what requirements.txt pins and nothing else (Binder's view)."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    installed = {d.metadata["Name"].lower().replace("_", "-"): d.version for d in metadata.distributions()}
    tooling = {"pip", "setuptools", "wheel", "nn-training-course"}
    assert {k: v for k, v in installed.items() if k not in tooling} == pins


def test_lib_imports_from_chapters_without_path_edits():
    """Started in chapters/ (as Binder and `jupyter lab` are), Python finds lib because it is installed."""
    out = subprocess.run([sys.executable, "-I", "-c", "import lib; print(lib.__file__)"], cwd=ROOT / "chapters",
                         capture_output=True, text=True, check=True).stdout.strip()
    assert Path(out) == ROOT / "lib" / "__init__.py"


def test_importing_lib_runs_every_blas_on_one_thread_whatever_was_imported_first():
    """Both OpenBLAS copies (numpy's, scipy's) run on one thread after `import lib`, imported before
    numpy (a script, the tests) or after it (the notebooks), and scipy's loaded after lib."""
    check = ("from threadpoolctl import threadpool_info; import scipy.linalg; "
             "import json; print(json.dumps([i['num_threads'] for i in threadpool_info()]))")
    for first in ("import lib", "import numpy; import lib"):
        env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
        out = subprocess.run([sys.executable, "-c", f"{first}; {check}"], capture_output=True, text=True,
                             check=True, env=env).stdout
        assert json.loads(out) == [1, 1], first
