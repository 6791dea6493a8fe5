# %% [markdown]
# # One SU or four? — lightfab from a notebook
# From the source tree: `PYTHONPATH=python python3 python/examples/compare_sus.py`;
# installed (`make install`): PYTHONPATH=PREFIX/lib/python3/dist-packages (the
# Debian package puts it on python3's path).
# Every call returns what `lightfab VERB --json` prints, as Python objects.

# %%
import lightfab

spec = open("examples/dgx-h100-4su.yaml").read()
four = lightfab.plan(spec)
one = lightfab.plan("examples/dgx-h100-1su.yaml")
for name, p in (("1 SU", one), ("4 SUs", four)):
    print(f"{name:6} GPUs {p['gpus']:5,}  switches {sum(t['switches'] for t in p['tiers']):4}  "
          f"links {p['links_total']:6,}  capex ${p['capex_usd'] / 1e6:6.2f} M  "
          f"power {p['power_w']['typ'] / 1e3:6.1f} kW")

# %%
# All-reduce busBW on the 4-SU fabric, as nccl-tests would print it
wl = """
collectives:
  - {type: all-reduce, sweep: {from: 64MiB, to: 8GiB, factor: 8}}
"""
for row in lightfab.sim(spec, wl)["collectives"]:
    print(f"{row['size_bytes'] / 2**20:8.0f} MiB  {row['algorithm']:10} {row['protocol']:6} "
          f"busBW {row['busbw_gbs']:6.1f} GB/s")

# %%
# Errors carry the place: a notebook can point at the line
try:
    lightfab.plan(spec.replace("servers: 127", "servers: many"))
except lightfab.LightfabError as e:
    print("line", e.line, "col", e.col, "-", e.msg)
