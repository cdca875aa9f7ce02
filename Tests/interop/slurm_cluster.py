"""A one-node Slurm cluster on 127.0.0.1 for tests: Debian's munged, slurmctld and slurmd, each
started in the foreground with files in a temporary directory (its own munge key and socket, a
generated slurm.conf, free ports), and stopped by PID, also when the test fails.

`OneNodeCluster.start` raises `Unavailable` (with the reason) when this machine cannot run the
daemons: the packages are missing and cannot be installed (not root, apt unreachable), or a
daemon does not start or the node never comes up. Tests then skip, naming the reason."""
import os
import shutil
import socket
import subprocess
import time

PACKAGES = ["munge", "slurmctld", "slurmd", "slurm-client"]
PROGRAMS = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "sinfo"]


class Unavailable(Exception):
    """This machine cannot run the cluster; the message says why."""


def install_packages():
    """Installs Debian's Slurm and munge packages where a program is missing (root only)."""
    missing = [p for p in PROGRAMS if shutil.which(p) is None and not os.path.exists(f"/usr/sbin/{p}")]
    if not missing:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise Unavailable(f"{', '.join(missing)} not installed, and installing {' '.join(PACKAGES)} needs root and apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *PACKAGES]):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise Unavailable(f"`{' '.join(command)}` failed: {(result.stderr or result.stdout).strip()[-400:]}")


def program(name):
    return shutil.which(name) or f"/usr/sbin/{name}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SLURM_CONF = """\
ClusterName=nnprobe-test
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={root}/munge/munge.socket
StateSaveLocation={root}/state
SlurmdSpoolDir={root}/spool
SlurmctldPidFile={root}/slurmctld.pid
SlurmdPidFile={root}/slurmd.pid
SlurmctldLogFile={root}/slurmctld.log
SlurmdLogFile={root}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
MailProg=/bin/true
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
KillWait=5
InactiveLimit=0
MinJobAge=300
SlurmdTimeout=30
NodeName={node} NodeAddr=127.0.0.1 NodeHostname={host} CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes={node} Default=YES MaxTime=INFINITE State=UP
"""


class OneNodeCluster:
    NODE = "nnprobe-node"

    def __init__(self, root):
        self.root = str(root)
        self.processes = []   # (name, Popen), in start order
        self.jobs = []        # job ids submitted, cancelled at stop

    @property
    def env(self):
        """The environment for Slurm's client commands (sbatch, squeue, …)."""
        return {**os.environ, "SLURM_CONF": f"{self.root}/slurm.conf"}

    def start(self, timeout=60):
        install_packages()
        root = self.root
        for sub in ("munge", "state", "spool"):
            os.makedirs(f"{root}/{sub}", mode=0o700, exist_ok=True)
        os.chmod(root, 0o700)
        key = f"{root}/munge/munge.key"
        self._run([program("mungekey"), "--create", f"--keyfile={key}"])
        self._spawn("munged", [program("munged"), "--foreground", "--force", f"--socket={root}/munge/munge.socket",
                               f"--key-file={key}", f"--pid-file={root}/munge/munged.pid",
                               f"--log-file={root}/munge/munged.log", f"--seed-file={root}/munge/munged.seed"])
        self._wait(lambda: os.path.exists(f"{root}/munge/munge.socket"), "munged to open its socket", 10)
        with open(f"{root}/slurm.conf", "w") as f:
            f.write(SLURM_CONF.format(host=socket.gethostname().split(".")[0], node=self.NODE, root=root,
                                      ctld_port=free_port(), slurmd_port=free_port()))
        self._spawn("slurmctld", [program("slurmctld"), "-D", "-c", "-f", f"{root}/slurm.conf"])
        self._spawn("slurmd", [program("slurmd"), "-D", "-N", self.NODE, "-f", f"{root}/slurm.conf"])
        self._wait(self._node_idle, "the node to come up idle", timeout)

    def _run(self, command):
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        except OSError as error:
            raise Unavailable(f"cannot run {command[0]}: {error}")
        if result.returncode != 0:
            raise Unavailable(f"`{' '.join(command)}` failed: {(result.stderr or result.stdout).strip()[-400:]}")

    def _spawn(self, name, command):
        with open(f"{self.root}/{name}.stderr", "w") as log:
            try:
                self.processes.append((name, subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self.env)))
            except OSError as error:
                raise Unavailable(f"cannot start {name}: {error}")

    def _node_idle(self):
        for name, process in self.processes:
            if process.poll() is not None:
                raise Unavailable(f"{name} exited with status {process.returncode} at start: {self.log_tail(name)}")
        result = subprocess.run([program("sinfo"), "-h", "-N", "-o", "%t"], env=self.env, capture_output=True, text=True)
        return result.returncode == 0 and result.stdout.strip() == "idle"

    def _wait(self, condition, what, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        raise Unavailable(f"gave up after {timeout} s waiting for {what}: {self.log_tail('slurmctld')} {self.log_tail('slurmd')}")

    def log_tail(self, name, lines=5):
        for path in (f"{self.root}/{name}.log", f"{self.root}/{name}.stderr", f"{self.root}/munge/{name}.log"):
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    return f"[{name}] " + " | ".join(f.read().strip().splitlines()[-lines:])
        return f"[{name}: no log]"

    def stop(self):
        """Cancels the jobs still running (a test that failed half-way), then stops the daemons
        by PID, the last started first: SIGTERM, then SIGKILL after 10 s."""
        if self.jobs and all(process.poll() is None for _, process in self.processes):
            try:
                subprocess.run([program("scancel"), *self.jobs], env=self.env, capture_output=True, timeout=30)
                for job in self.jobs:
                    self.wait_until_done(job, 30)
            except (AssertionError, OSError, subprocess.SubprocessError):
                pass   # the daemons stop below all the same
        for name, process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes = []

    # Slurm's client commands.
    def sbatch(self, *args, env=None, cwd=None):
        result = subprocess.run([program("sbatch"), "--parsable", *args], env={**self.env, **(env or {})}, cwd=cwd,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"sbatch {' '.join(args)}: {result.stderr}"
        job = result.stdout.strip().split(";")[0]
        self.jobs.append(job)
        return job

    def states(self, job):
        """{array task id: state} of the job's tasks still known to the controller."""
        result = subprocess.run([program("squeue"), "-h", "-r", "-t", "all", "-j", job, "-o", "%K %T"], env=self.env,
                                capture_output=True, text=True, timeout=60)
        return dict(line.split() for line in result.stdout.strip().splitlines() if line.strip())

    def scancel(self, job_and_task):
        subprocess.run([program("scancel"), job_and_task], env=self.env, check=True, timeout=60)

    def wait_until_done(self, job, timeout):
        """Waits until none of the job's tasks is pending, running or completing."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not any(s in ("PENDING", "RUNNING", "COMPLETING", "CONFIGURING") for s in self.states(job).values()):
                return
            time.sleep(0.2)
        raise AssertionError(f"job {job} still running after {timeout} s: {self.states(job)} {self.log_tail('slurmd')}")
