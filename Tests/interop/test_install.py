"""`make install` gives a binary that runs where the Swift toolchain is absent: no Swift runtime
library among its dependencies, and it trains and analyses with an empty environment."""
import os
import subprocess

from conftest import ROOT


def test_installed_binary_needs_no_swift_runtime(tmp_path):
    prefix = tmp_path / "prefix"
    subprocess.run(["make", "-C", ROOT, "install", f"PREFIX={prefix}"], check=True, capture_output=True)
    binary = prefix / "bin" / "nnprobe"
    libraries = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout
    assert "swift" not in libraries.lower() and "not found" not in libraries, libraries
    bare = {"PATH": "/usr/bin:/bin"}
    trained = subprocess.run([str(binary), "train", "mult", "--epochs", "1", "--train-size", "200", "--no-dump",
                              "--save", str(tmp_path / "m.h5")], env=bare, capture_output=True, text=True)
    assert trained.returncode == 0, trained.stderr
    assert subprocess.run([str(binary), "svd", str(tmp_path / "m.h5"), "--json"], env=bare, capture_output=True).returncode == 0
