"""Progress bars are drawn whenever stderr is a terminal, as tqdm, pip and cargo do: with --json
piped elsewhere the bar still shows on the terminal, and stdout stays pure JSON."""
import json
import os
import pty
import subprocess

from conftest import read_terminal



def test_json_to_a_pipe_with_progress_on_the_terminal(nnprobe):
    master, slave = pty.openpty()
    process = subprocess.Popen([nnprobe, "train", "mult", "--epochs", "3", "--train-size", "2000", "--json"],
                               stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = read_terminal(master)
    out, _ = process.communicate()
    os.close(master)
    assert process.returncode == 0
    assert json.loads(out)["schema"] == "nnprobe.train/1"
    assert b"epoch 1/3" in seen   # the bar's detail, on the terminal


def test_no_bar_when_stderr_is_not_a_terminal(nnprobe):
    result = subprocess.run([nnprobe, "train", "mult", "--epochs", "2", "--train-size", "500", "--json"],
                            capture_output=True)
    assert result.returncode == 0 and b"epoch 1/2" not in result.stderr
