#!/usr/bin/env python3
"""The Python binding (python/lightfab) returns the CLI's answer: for every
example, lightfab.plan / sim / source / reliability equal json.loads of
`build/lightfab VERB --json ...`, and a bad spec raises LightfabError with
its line and column.  Prints "python: N passed, M failed"."""
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
os.chdir(ROOT)
import lightfab  # noqa: E402

passed = failed = 0


def check(name, cond, why=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok  ", name)
    else:
        failed += 1
        print("FAIL", name + ":", why)


def scrub(o):
    """Wall-clock figures differ from run to run."""
    if isinstance(o, dict):
        return {k: (0 if k in ("wall_s", "solve_s") else scrub(v)) for k, v in o.items()}
    if isinstance(o, list):
        return [scrub(v) for v in o]
    return o


def cli(*args):
    out = subprocess.run(["build/lightfab", *args], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout)


def same(name, got, args):
    try:
        want = cli(*args)
    except RuntimeError as e:
        check(name, False, str(e))
        return
    check(name, scrub(got) == scrub(want), "differs from `lightfab " + " ".join(args) + "`")


specs = [f for f in sorted(glob.glob("examples/*.yaml"))
         if "cluster:" in open(f).read()]
for spec in specs:
    same(f"plan({spec})", lightfab.plan(spec), ["plan", "--json", spec])
same("plan(YAML text)", lightfab.plan(open("examples/dgx-h100-1su.yaml").read()),
     ["plan", "--json", "examples/dgx-h100-1su.yaml"])
for wl in ("examples/workload-allreduce-sweep.yaml", "examples/workload-llama70b.yaml",
           "examples/workload-qwen3-moe.yaml"):
    same(f"sim(dgx-h100-4su, {wl})", lightfab.sim("examples/dgx-h100-4su.yaml", wl),
         ["sim", "--json", "examples/dgx-h100-4su.yaml", wl])
for sc in sorted(glob.glob("examples/supply-*.yaml")):
    same(f"source({sc})", lightfab.source(sc), ["source", "--json", sc])
same("reliability(dgx-h100-4su, params, 512 GPUs)",
     lightfab.reliability("examples/dgx-h100-4su.yaml", params="examples/reliability.yaml",
                          job_gpus=512),
     ["reliability", "--json", "--params", "examples/reliability.yaml", "--job-gpus", "512",
      "examples/dgx-h100-4su.yaml"])
same("reliability(dgx-h100-1su) with defaults", lightfab.reliability("examples/dgx-h100-1su.yaml"),
     ["reliability", "--json", "examples/dgx-h100-1su.yaml"])

try:
    lightfab.plan("name: x\ncluster:\n  server: dgx-h100\n  servers: -3\n")
    check("a bad spec raises", False, "no exception")
except lightfab.LightfabError as e:
    check("a bad spec raises LightfabError with line and column",
          (e.file, e.line, e.col) == ("<string>", 4, 12) and "servers" in e.msg, str(e))
try:
    lightfab.sim("examples/dgx-h100-1su.yaml",
                 "collectives:\n  - {type: all-reduce, algorithm: nvlstree, bytes: 1GiB}\n")
    check("a bad workload raises", False, "no exception")
except lightfab.LightfabError as e:
    check("a bad workload raises with line, column and the valid names",
          e.line == 2 and e.col > 0 and "nvls-tree" in e.msg, str(e))
cli_version = subprocess.run(["build/lightfab", "--version"], capture_output=True,
                             text=True).stdout.split()[-1]
check("version() is the library's", lightfab.version() == cli_version,
      f"{lightfab.version()} vs {cli_version}")

print(f"python: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
