"""What Binder would build for this repository, without building it (`make binder-check`).

Asks repo2docker itself (its own package, in .venv-binder) which build pack it picks, which Python
that pack resolves, which pip commands it runs; then checks that
- the Python is the one the course is pinned and tested for (3.11, binder/runtime.txt);
- repo2docker does not also run `pip install .` (that copy of lib would hide edits to lib/);
- it runs binder/postBuild (which enables lib's Jupyter server extension, as `make` does);
- every pin of requirements.txt resolves for that Python on Binder's platform (pip --dry-run,
  wheels only, with the pins as the only source of versions);
- every Jupyter server package of Binder's base environment that the course also installs is
  pinned in requirements.txt, so the pinned ones replace the base image's as a consistent set.

Exits non-zero with the reason when one fails. Needs the network only for pip's package index.
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import repo2docker.buildpacks.conda as conda
from repo2docker.buildpacks.python import PythonBuildPack

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "3.11"
# the base environment's packages that serve notebooks (repo2docker's environment.yml)
SERVER_PACKAGES = ["jupyterlab", "notebook", "jupyter-server", "notebook-shim", "ipywidgets"]


def pins():
    text = (ROOT / "requirements.txt").read_text()
    return {name.lower().replace("_", "-"): version for name, version in re.findall(r"^([\w.-]+)==(\S+)", text, re.M)}


def base_environment(python):
    """{package: version} of repo2docker's base conda environment for `python` on linux-64."""
    lock = Path(conda.__file__).parent / f"environment.py-{python}-linux-64.lock"
    found = re.findall(r"/([^/#]+)-([^-/#]+)-[^-/#]+\.(?:conda|tar\.bz2)", lock.read_text())
    return {name.lower().replace("_", "-"): version for name, version in found}


def main():
    os.chdir(ROOT)
    pack = PythonBuildPack(base_image="docker.io/library/buildpack-deps:jammy")
    python = pack.python_version
    scripts = [command for _, command in pack.get_preassemble_scripts() + pack.get_assemble_scripts()]
    pip_commands = [c for c in scripts if "pip install" in c]
    print(f"repo2docker reads: {pack.binder_dir or 'the repository root'}/")
    print(f"Python it resolves: {python} (from {pack._python_version_source})")
    print("pip commands it runs:", *pip_commands, sep="\n  ")
    problems = []
    if python != PYTHON:
        problems.append(f"Binder would use Python {python}, the course is tested on {PYTHON}")
    if any(c.rstrip().endswith("install --no-cache-dir .") for c in pip_commands):
        problems.append("repo2docker would also run `pip install .`, hiding edits to lib/")
    post_build = pack.get_post_build_scripts()
    print("scripts it runs after the build:", *post_build)
    if post_build != ["binder/postBuild"] or not os.access(ROOT / "binder" / "postBuild", os.X_OK):
        problems.append("repo2docker would not run binder/postBuild (lib's Jupyter server extension)")

    ours, base = pins(), base_environment(python)
    unpinned = [p for p in SERVER_PACKAGES if p in base and p not in ours]
    if unpinned:
        problems.append(f"base-image server packages the course does not pin: {unpinned}")
    for name in SERVER_PACKAGES:
        if name in ours:
            print(f"  {name}: base image {base.get(name, '-')}, pinned {ours[name]}")

    patch = base["python"]  # the exact Python of the base image: some pins need 3.11.5 or newer
    with tempfile.TemporaryDirectory() as scratch:
        only_pins = Path(scratch) / "pins.txt"
        only_pins.write_text("".join(f"{n}=={v}\n" for n, v in ours.items()))
        resolve = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
             "--only-binary=:all:", "--python-version", patch, "--platform", "manylinux_2_28_x86_64",
             "--platform", "manylinux2014_x86_64", "--platform", "linux_x86_64",
             "--target", str(Path(scratch) / "target"), "-r", str(only_pins)],
            capture_output=True, text=True)
    if resolve.returncode != 0:
        errors = [line for line in resolve.stderr.splitlines() if line.startswith("ERROR")]
        problems.append(f"the pins do not resolve for Binder's Python {patch}:\n" + "\n".join(errors))
    else:
        print(f"all {len(ours)} pins of requirements.txt resolve for Python {patch} (linux x86-64 wheels)")

    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
