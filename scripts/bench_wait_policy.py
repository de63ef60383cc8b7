#!/usr/bin/python3
"""`tao verify` of one trace in fresh processes on every core, under OpenMP's default wait
policy and under OMP_WAIT_POLICY=PASSIVE, interleaved; writes the runs and their medians as
JSON. Verification alternates element-wise passes (OpenMP threads) with GEMMs (OpenBLAS's
own threads); by default idle OpenMP threads spin after each parallel region on the cores
the next GEMM needs. The policy can only be chosen in the environment: libgomp reads it when
it is loaded, before main.
Usage: bench_wait_policy.py --bin BUILD/bin --model M.pt --profile P.json --out OUT.json
       [--reps 5]"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time


def measured(cmd, env):
    """Wall, user and system seconds of one command that must succeed (0, or 1 for a
    failed verdict), by os.wait4."""
    t = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({code}): {err.decode()[-400:]}")
    return {"wall_s": wall, "user_s": usage.ru_utime, "system_s": usage.ru_stime}


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--profile", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    tao = os.path.join(a.bin, "tao")
    policies = {"default": None, "PASSIVE": "PASSIVE"}
    runs = {name: [] for name in policies}
    with tempfile.TemporaryDirectory() as work:
        trace = os.path.join(work, "trace.taotrace")
        subprocess.run([tao, "capture", "--model", a.model, "--random-input", "1", "--out",
                        trace, "--threads", "1"], check=True, capture_output=True)
        cmd = [tao, "verify", "--model", a.model, "--trace", trace, "--profile", a.profile,
               "--threads", str(os.cpu_count()),
               "--json"]
        for _ in range(a.reps):
            for name, value in policies.items():
                env = {k: v for k, v in os.environ.items()
                       if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
                if value:
                    env["OMP_WAIT_POLICY"] = value
                runs[name].append(measured(cmd, env))
    medians = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]}
               for name, rs in runs.items()}
    doc = {"benchmark": "wait_policy", "machine": cpu_model(), "cores": os.cpu_count(),
           "model": os.path.basename(a.model), "command": "tao verify (every core)",
           "repetitions": a.reps, "runs": runs, "median": medians,
           "ratio_passive_to_default_wall": medians["PASSIVE"]["wall_s"] /
           medians["default"]["wall_s"]}
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
    os.replace(tmp, a.out)
    print(json.dumps({k: doc[k] for k in ("machine", "median",
                                          "ratio_passive_to_default_wall")}, indent=1))


if __name__ == "__main__":
    main()
