"""Mutation score per module from mutmut's results in mutants/ (run by `make mutation`).

A mutant is killed when some test fails on it (exit code 1), survives when every test passes
(exit code 0); a mutant no test reaches (exit code 33) counts as surviving too. Prints
killed / total per module and lists the survivors, for `mutmut show NAME` to display.
"""

import json
import sys
from collections import Counter
from pathlib import Path

KILLED, SURVIVED, NO_TESTS = 1, 0, 33


def main(root="mutants"):
    survivors = []
    print(f"{'module':<28} {'killed':>7} {'total':>6} {'score':>6}")
    for meta in sorted(Path(root).glob("lib/**/*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        counts = Counter(codes.values())
        module = str(meta.relative_to(root)).removesuffix(".meta")
        print(f"{module:<28} {counts[KILLED]:>7} {len(codes):>6} {counts[KILLED] / len(codes):>6.1%}")
        survivors += [name for name, code in codes.items() if code in (SURVIVED, NO_TESTS)]
    print(f"\n{len(survivors)} surviving mutants:")
    print("\n".join(f"  {name}" for name in survivors))


if __name__ == "__main__":
    main(*sys.argv[1:])
