#!/usr/bin/python3
"""How capture and verification grow with the model: models of GPT-2's 124M, 355M and
774M shapes (width, heads, layers; with an untied output head they hold 163M, 406M and
838M parameters) at sequence length 128, and the smallest at sequence lengths 128 to
1024, generated here into a work folder (never committed).

Per model: the plain forward, capture with hashing and the full trace written to disk,
measured side by side in one process (bench_capture); then `tao capture`, `tao calibrate`
(one random input, one configuration) and `tao verify` run as a user runs them, each
timed with its peak resident memory (wait4), and the trace's size on disk; and the
peak resident memory of a tao process that loads nothing (LibTorch's floor). FLOPs are 2 x parameters x tokens plus attention's 4 x layers x
tokens^2 x width. The forward and capture at one thread; tao verify at its default, every
core, with its time less that of the same command on the first operator alone (the load).

Usage: bench_growth.py --bin DIR --work DIR --out JSON [--sizes 124m,355m,774m]
                       [--seqs 128,256,512,1024]"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

MODELS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")

# name: (width, heads, layers), GPT-2's published shapes; vocabulary 50257, context 1024.
SIZES = {"124m": (768, 12, 12), "355m": (1024, 16, 24), "774m": (1280, 20, 36)}
VOCAB, CONTEXT = 50257, 1024


def make_model(work, size, seq):
    name = f"gpt2_{size}_s{seq}"
    path = os.path.join(work, name + ".pt")
    if not os.path.exists(path):
        d, heads, layers = SIZES[size]
        subprocess.run([sys.executable, "-c",
                        "import sys; sys.path.insert(0, sys.argv[1]); import make_models as m; "
                        "print(m.lm(sys.argv[2], sys.argv[3], *map(int, sys.argv[4:])))",
                        MODELS_DIR, work, name, str(VOCAB), str(d), str(heads), str(layers),
                        str(CONTEXT), str(seq)], check=True)
    return path


def run_measured(cmd):
    """Wall seconds, peak RSS (MiB), exit code, stdout and the end of stderr of one command,
    measured by os.wait4."""
    # stderr goes to a file: two pipes read one after the other can fill and stall.
    with tempfile.TemporaryFile() as err:
        t = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        out = p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.monotonic() - t
        err.seek(0)
        return (wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), out.decode(),
                err.read().decode()[-400:])


def peak_rss(cmd):
    """Wall seconds, peak RSS (MiB) and stdout of a command that must not fail."""
    wall, rss, code, out, err = run_measured(cmd)
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({code}): {err}")
    return wall, rss, out


DTYPE_BYTES = {"F64": 8, "I64": 8, "F32": 4, "I32": 4, "F16": 2, "BF16": 2, "I16": 2,
               "U8": 1, "I8": 1, "BOOL": 1}


def largest_live_set(trace):
    """The operator whose committed tensors take the most memory, and those bytes: its
    outputs plus the inputs it reads from other operators (parameters belong to the model,
    counted once in its size; the model's own inputs, token ids here, are left out)."""
    ops = json.load(open(os.path.join(trace, "manifest.json")))["ops"]
    out_bytes = {}
    best = (0, None)
    for o in ops:
        sizes = []
        for t in o["outputs"]:
            n = DTYPE_BYTES.get(t["dtype"], 4)
            for d in t["shape"]:
                n *= d
            sizes.append(n)
        out_bytes[o["index"]] = sizes
        reads = 0
        for ref in o["inputs"]:
            if isinstance(ref, str) and ref.startswith("op:"):
                op, _, k = ref[3:].partition(".")
                reads += out_bytes.get(int(op), [0] * (int(k or 0) + 1))[int(k or 0)]
        live = sum(sizes) + reads
        if live > best[0]:
            best = (live, f"{o['index']} {o['kind']}" + (f" ({o['scope']})" if o["scope"] else ""))
    return best


def folder_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="124m,355m,774m")
    ap.add_argument("--seqs", default="128,256,512,1024")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    tao = os.path.join(a.bin, "tao")
    plan = [(s, 128) for s in a.sizes.split(",") if s]
    plan += [("124m", int(q)) for q in a.seqs.split(",") if int(q) != 128]
    # LibTorch's libraries loaded and initialised, nothing else: every tao process's floor.
    _, runtime_rss, _ = peak_rss([tao, "verify", "--help"])
    # Rows already in --out for other runs are kept: a part can be measured again alone.
    rows, machine = [], None
    if os.path.exists(a.out):
        doc = json.load(open(a.out))
        machine = doc.get("machine")
        rows = [r for r in doc["rows"] if (r["model"][5:], r["sequence"]) not in plan]
    for size, seq in plan:
        model = make_model(a.work, size, seq)
        print(f"bench growth: {size} at sequence {seq} ...", flush=True)
        cap = json.loads(subprocess.run(
            [os.path.join(a.bin, "bench_capture"), "--models", model, "--reps", "3"],
            check=True, capture_output=True, text=True).stdout)
        machine = cap["machine"]
        c = cap["models"][0]
        trace = os.path.join(a.work, "trace.taotrace")
        profile = os.path.join(a.work, "profile.json")
        shutil.rmtree(trace, ignore_errors=True)
        cap_wall, cap_rss, _ = peak_rss([tao, "capture", "--model", model, "--random-input", "1",
                                         "--out", trace, "--threads", "1"])
        # The verifier needs a profile; one calibration run is enough to time verification.
        # Where calibration fails (out of memory) the row says so and keeps the capture
        # numbers.
        cal_wall, cal_rss, cal_code, _, cal_err = run_measured(
            [tao, "calibrate", "--model", model, "--random", "1", "--configs", "cpu-t1",
             "--no-segments", "--quiet", "--out", profile])
        verify = {}
        if cal_code == 0:
            # tao verify's default: every core but one, left to its read-ahead thread
            # (capture and the forward use one LibTorch thread).
            ver = [tao, "verify", "--model", model, "--trace", trace, "--profile", profile,
                   "--json"]
            ver_wall, ver_rss, report = peak_rss(ver)
            # The load as tao verify pays it (its memory settings differ from the capture
            # bench's): the same command on the first operator alone.
            load_wall, load_rss, _ = peak_rss(ver + ["--shard", f"0/{c['ops']}"])
            live, live_op = largest_live_set(trace)
            # Issue 19's memory goal: the model plus twice the largest operator's live set.
            budget = (os.path.getsize(model) + 2 * live) / 2**20
            # What the run adds to the loaded process (model, graph, trace opened), against
            # twice the live set the goal allows on top of the model.
            working = ver_rss - load_rss
            verify = {
                "largest_live_set_op": live_op, "largest_live_set_mib": live / 2**20,
                "tao_verify_rss_budget_mib": budget,
                "tao_verify_first_op_peak_rss_mib": load_rss,
                "tao_verify_peak_rss_within_budget": ver_rss <= budget,
                "tao_verify_rss_over_first_op_mib": working,
                "tao_verify_rss_over_first_op_within_2x_live_set": working <= 2 * live / 2**20,
                "tao_runtime_rss_mib": runtime_rss,
                "tao_calibrate_wall_s": cal_wall, "tao_calibrate_peak_rss_mib": cal_rss,
                "verify_threads": max(1, os.cpu_count() - 1),
                "tao_verify_wall_s": ver_wall, "tao_verify_peak_rss_mib": ver_rss,
                "tao_verify_first_op_wall_s": load_wall,
                "verify_excluding_load_s": ver_wall - load_wall,
                "ratio_verify_to_forward": (ver_wall - load_wall) / c["plain_forward_s"],
                "verify_overall": json.loads(report).get("overall")}
        else:
            why = "killed (out of memory)" if cal_code == -9 else \
                (cal_err.strip().splitlines() or ["failed"])[-1]
            verify = {"verify_skipped": "tao calibrate " + why}
        d, heads, layers = SIZES[size]
        # Embeddings, blocks, final norm and the untied output head (scripts/models).
        params = 2 * VOCAB * d + CONTEXT * d + layers * (12 * d * d + 13 * d) + 2 * d
        flops = 2 * params * seq + 4 * layers * seq * seq * d
        rows.append({
            "model": f"gpt2-{size}", "sequence": seq, "parameters": params, "flops": flops,
            "operators": c["ops"], "model_file_bytes": os.path.getsize(model),
            "trace_bytes": folder_bytes(trace), "activation_bytes": c["activation_bytes"],
            "model_load_s": c["model_load_s"], "plain_forward_s": c["plain_forward_s"],
            "capture_hash_s": c["hash_s"], "capture_full_s": c["full_s"],
            "ratio_capture_hash": c["ratio_hash"], "ratio_capture_full": c["ratio_full"],
            "tao_capture_wall_s": cap_wall, "tao_capture_peak_rss_mib": cap_rss, **verify,
        })
        print(json.dumps(rows[-1]), flush=True)
        shutil.rmtree(trace, ignore_errors=True)
        rows.sort(key=lambda r: (r["parameters"], r["sequence"]))
        doc = {"benchmark": "growth", "machine": machine, "threads": 1,
               "note": "verify_excluding_load_s: tao verify's wall time less that of the same "
                       "command on a shard of one operator (the model load and the trace "
                       "opened); ratio_verify_to_forward divides it by the one-thread forward "
                       "although tao verify ran on verify_threads. "
                       "tao_verify_rss_over_first_op_mib: its peak RSS less that of the same "
                       "one-operator command; tao_runtime_rss_mib: the peak RSS of "
                       "`tao verify --help` (LibTorch loaded, nothing else)",
               "rows": rows}
        tmp = a.out + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f, indent=1)
        os.replace(tmp, a.out)  # after every row: a later failure keeps what was measured


if __name__ == "__main__":
    main()
