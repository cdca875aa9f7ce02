"""docs/nnprobe.1, the man page `make install` installs, is current: argument-parser's
generate-manual run on this build writes it again, all but its date. After changing a help text on
purpose, `make man` (which `make help-fixtures` runs) rewrites it."""
import difflib
import os
import shutil
import subprocess

import pytest

from conftest import ROOT

MAN_PAGE = os.path.join(ROOT, "docs", "nnprobe.1")


def undated(text):
    return [line for line in text.splitlines() if not line.startswith(".Dd ")]


def test_man_page_is_current(nnprobe, tmp_path):
    tool = os.path.join(ROOT, ".build", "debug", "generate-manual")
    if not os.path.exists(tool):
        if shutil.which("swift") is None:
            pytest.skip("no Swift toolchain here to build argument-parser's generate-manual")
        subprocess.run(["swift", "build", "--product", "generate-manual"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run([tool, nnprobe, "--output-directory", str(tmp_path)], check=True, capture_output=True)
    fresh = undated((tmp_path / "nnprobe.1").read_text())
    assert os.path.exists(MAN_PAGE), "docs/nnprobe.1 is missing: run `make man`"
    with open(MAN_PAGE) as f:
        committed = undated(f.read())
    changes = "\n".join(difflib.unified_diff(committed, fresh, "docs/nnprobe.1", "generated", lineterm="", n=1))
    assert committed == fresh, f"docs/nnprobe.1 is out of date (run `make man`):\n{changes[:3000]}"
    assert any(line.startswith(".It Em summary") for line in committed)   # every subcommand is in it
