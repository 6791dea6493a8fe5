/*
 * help.c — the help text of every verb of `lightfab` (`lightfab help VERB`,
 * `lightfab VERB --help`); tools/gen-man.py builds lightfab(1) from it.
 */
#include <stdio.h>

#include "cli.h"
#include "help.h"

void help_main(FILE *f, const char *prog, const cli_verb *verbs, size_t n)
{
	(void)prog;
	fprintf(f,
	"lightfab %s - plan, simulate and source the optical interconnect of AI GPU clusters\n"
	"\n"
	"usage: lightfab <verb> [options] SPEC.yaml\n"
	"\n"
	"verbs:\n", LF_VERSION);
	cli_list_verbs(f, verbs, n);
	fprintf(f,
	"  help      help on a verb: lightfab help plan\n"
	"\n"
	"options for every verb:\n"
	"  --catalog PATH   add a catalog file or directory of your own (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog (%s)\n"
	"  --max-input SIZE largest input file read (default 64M; K, M, G suffixes); a\n"
	"                   stream or device is read up to it, then refused\n"
	"  --max-work N     work budget of the run (default 8000000 units: simulated\n"
	"                   flows, e.g. N(N-1) per size for an all-to-all of N GPUs, and\n"
	"                   1000 per sweep point, 1 per YAML node, aliases expanded)\n"
	"  -h, --help       help on the verb\n"
	"  --version        print the version\n"
	"\n"
	"Limits: YAML nested more than 64 deep is refused before it is parsed.  -o never\n"
	"overwrites an input (same file: exit 2).\n"
	"\n"
	"exit status: 0 ok, 1 bad input (or over a limit), 2 bad usage, 3 i/o error,\n"
	"4 internal error\n",
	cli_catalog_dir());
}

void help_plan(FILE *f, const char *prog)
{
	(void)prog;
	fprintf(f,
	"usage: lightfab plan [options] SPEC.yaml\n"
	"\n"
	"Builds the fabric the spec describes (rail-optimized or fat-tree, 2 or 3 tiers,\n"
	"planes, oversubscription per tier, spines sized for the final build-out) and its\n"
	"bill of materials: switches per tier, links, cables, fibre strands and\n"
	"transceivers by SKU at the switch and server ends, power (typ/max) and capex,\n"
	"for the whole cluster and for what each deployment stage adds.\n"
	"\n"
	"options:\n"
	"  --table          readable table (default)\n"
	"  --json           JSON (fields: docs/json.md), with stage BOMs\n"
	"  --csv            the BOM as CSV, one row per line item (scope: total or stage)\n"
	"  --dot            the topology as Graphviz DOT (aggregated for large fabrics)\n"
	"  --cabling FILE   the cabling schedule, one row per cable: label, both ends\n"
	"                   (row, rack, U, device, port, cage/lane), part, medium,\n"
	"                   fibre, connector, orderable and routed length (FILE - for\n"
	"                   stdout, then the plan itself goes to -o or nowhere); the\n"
	"                   floor comes from the spec's layout: section, or a default\n"
	"                   derived from the SU structure (stated on stderr)\n"
	"  --cabling-format F  csv (default), ufm-p2p (UFM Cable Validation Tool P2P\n"
	"                   columns) or dot (point-to-point Graphviz topology)\n"
	"  --cabling-stage NAME  only stage NAME: csv lists the cables it adds (its\n"
	"                   work order; without this option every row names its\n"
	"                   stage), ufm-p2p and dot every cable deployed by its end\n"
	"                   (what the validation tool should find then)\n"
	"  --netbox DIR     NetBox bulk-import CSVs into DIR (created if missing):\n"
	"                   01-sites ... 08-cables.csv, to import in that order\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab plan examples/dgx-h100-4su.yaml\n"
	"  lightfab plan --json -o plan.json examples/dgx-h100-4su.yaml\n"
	"  lightfab plan --dot examples/dgx-h100-4su.yaml | dot -Tsvg > fabric.svg\n"
	"  lightfab plan --cabling cables.csv examples/dgx-h100-4su-layout.yaml\n"
	"  lightfab plan --netbox netbox/ examples/dgx-h100-4su-layout.yaml\n");
}

void help_reliability(FILE *f, const char *prog)
{
	(void)prog;
	fprintf(f,
	"usage: lightfab reliability [options] SPEC.yaml\n"
	"\n"
	"Plans the fabric, then reports expected failures per day and per month by\n"
	"component class (transceivers by laser type, AOC/DAC/ACC/AEC, switches, NICs),\n"
	"the interruption rate and MTTF of a job of N GPUs (only the parts on its\n"
	"paths; one-plane parts are covered by the other planes), goodput with\n"
	"checkpoints at the Young/Daly interval, and spares per SKU (Poisson quantile\n"
	"at the fill rate over the replenishment lead time).  Rates in FIT come from\n"
	"the params file's sku: overrides, the catalog's fit:, the params file's class\n"
	"defaults, then the built-in defaults; each row says which.\n"
	"\n"
	"options:\n"
	"  --params F       reliability parameters (YAML; see examples/reliability.yaml)\n"
	"  --job-gpus N     size of the job (default: the whole cluster)\n"
	"  --compare S2     the same job on a second spec, side by side\n"
	"  --table          readable table (default)\n"
	"  --json           JSON (the spares list feeds `lightfab source`)\n"
	"  --csv            one row per SKU\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab reliability --params examples/llama3-reliability.yaml examples/llama3-16k.yaml\n"
	"  lightfab reliability --job-gpus 512 --json examples/dgx-h100-4su.yaml\n"
	"  lightfab reliability --compare examples/dgx-h100-1su.yaml examples/dgx-h100-4su.yaml\n");
}

void help_source(FILE *f, const char *prog)
{
	(void)prog;
	fprintf(f,
	"usage: lightfab source [options] SCENARIO.yaml [SPEC.yaml]\n"
	"\n"
	"Plans the spec (the scenario's spec: or options:, or SPEC.yaml, or each\n"
	"--option) and sources its optics under the scenario: suppliers with prices,\n"
	"volume breaks, lead times, capacities, minimum orders and expedites; laser\n"
	"pools; reservations; stock; substitution rules.  Demand is what each\n"
	"deployment stage adds, per optical link level, served by any compatible\n"
	"transceiver pair.  Solved with GLPK (LP, or MIP for integer orders, minimum\n"
	"orders and price breaks).  Reports orders by supplier, SKU and period,\n"
	"deliveries, the date each stage is complete and its slip, cost by part,\n"
	"reservation use and worth, and the binding constraints with shadow prices.\n"
	"A stage that cannot be met is reported with why and what would fix it.\n"
	"With `choose: per-stage` and options: in the scenario, each stage is built\n"
	"from one option, chosen by the MIP with the orders; the output gives the\n"
	"choice per stage and what forcing each other option there would cost.\n"
	"\n"
	"options:\n"
	"  --option [NAME=]SPEC  a fabric option (repeatable): solve each, side by side\n"
	"  --reliability    add spares per transceiver SKU from `lightfab reliability` on\n"
	"                   the same plan (built-in parameters) as demand for that SKU,\n"
	"                   needed by the first stage's need-by\n"
	"  --reliability-params F  the same, with these reliability parameters (fill\n"
	"                   rate, replenishment lead time, FIT overrides)\n"
	"  --sweep-capacity POOL=FROM..TO  break-even: re-solve with laser pool POOL at\n"
	"                   each capacity from FROM to TO (lasers per period, every\n"
	"                   period); a table of objective, ready date and each stage's\n"
	"                   option (choose: per-stage), and where a stage's choice flips\n"
	"  --steps N        points of --sweep-capacity (default 11)\n"
	"  --table          readable table (default)\n"
	"  --json           JSON (documented in docs/source.md)\n"
	"  --csv            orders, stages and cost parts as CSV rows\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab source examples/supply-eml-shortage.yaml\n"
	"  lightfab source --json examples/supply-eml-shortage.yaml\n"
	"  lightfab source --reliability examples/supply-eml-shortage.yaml\n"
	"  lightfab source examples/supply-dual-track.yaml   # 800G or 1.6T per stage\n"
	"  lightfab source --sweep-capacity cw-sipho=1500..4000 --steps 6 \\\n"
	"      examples/supply-dual-track.yaml\n"
	"  lightfab source --option 800g=examples/b300-800g-eml.yaml \\\n"
	"                  --option 1.6t=examples/b300-1.6t.yaml examples/supply-eml-shortage.yaml\n");
}

void help_report(FILE *f, const char *prog)
{
	(void)prog;
	fprintf(f,
	"usage: lightfab report [options] SPEC.yaml\n"
	"\n"
	"Writes one self-contained HTML file (no scripts, nothing fetched; prints well)\n"
	"with the plan's summary cards (GPUs, switches, links, modules, power, capex,\n"
	"GPU:transceiver ratio), fabric tiers and media, the topology drawn with\n"
	"Graphviz (aggregated per SU / pod for large fabrics), the BOM table and charts\n"
	"(modules by SKU, power and capex by category, capex per stage).  The numbers\n"
	"are the ones `lightfab plan --json` prints.  Sections whose inputs are not\n"
	"given are left out.\n"
	"\n"
	"options:\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --reliability    add failures per day by class and spares per SKU\n"
	"  --reliability-params F  the same, with these reliability parameters\n"
	"  --job-gpus N     job size for the reliability section (default: whole cluster)\n"
	"  --no-topology    leave out the Graphviz drawing\n"
	"  --workload W     add a Simulation section: `lightfab sim SPEC W` as charts and\n"
	"                   tables (busBW vs message size with the link-rate bound, or the\n"
	"                   training step's breakdown and busiest links)\n"
	"  --supply S       add a Sourcing section: `lightfab source S SPEC` (stage\n"
	"                   readiness Gantt, orders by supplier and period, cost, what binds;\n"
	"                   with choose: per-stage or projects:, the scenario's options, as\n"
	"                   `lightfab source S`, and the option per stage)\n"
	"  --sweep-capacity POOL=FROM..TO  with --supply: add the break-even chart and\n"
	"                   table of `lightfab source --sweep-capacity` (where each stage's\n"
	"                   option flips)\n"
	"  --steps N        points of --sweep-capacity (default 11)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab report -o report.html examples/dgx-h100-4su.yaml\n"
	"  lightfab report --reliability-params examples/llama3-reliability.yaml \\\n"
	"      -o llama3.html examples/llama3-16k.yaml\n"
	"  lightfab report --workload examples/workload-allreduce-sweep.yaml \\\n"
	"      -o sweep.html examples/dgx-h100-4su.yaml\n"
	"  lightfab report --supply examples/supply-dual-track.yaml \\\n"
	"      --sweep-capacity cw-sipho=1500..4000 --steps 6 -o dual.html \\\n"
	"      examples/b300-dual-1.6t.yaml\n"
	"  lightfab report --supply examples/supply-eml-shortage.yaml \\\n"
	"      -o eml.html examples/b300-800g-eml.yaml\n");
}

void help_serve(FILE *f, const char *prog)
{
	(void)prog;
	fprintf(f,
	"usage: lightfab serve [options]\n"
	"\n"
	"Serves a local web page with a spec editor and the report's sections, which\n"
	"follow the spec as you edit it, and a JSON API over the same library calls:\n"
	"  GET  /                   the page\n"
	"  POST /api/plan           body: spec YAML (or JSON {\"spec\": \"...\"}) -> plan JSON\n"
	"  POST /api/reliability    -> reliability JSON ({\"params\": YAML, \"job_gpus\": N})\n"
	"  POST /api/report         -> the report's HTML fragment\n"
	"Errors come back as {\"error\": {\"message\", \"line\", \"column\"}}.  Binds\n"
	"127.0.0.1 unless --address says otherwise.  Answers only requests whose Host\n"
	"is this server (127.0.0.1, localhost, [::1] or the bound address, on its port;\n"
	"DNS rebinding guard) and POSTs whose Origin, if any, is too; pages may not frame\n"
	"it.  On SIGINT/SIGTERM it stops accepting, answers every request in flight\n"
	"(a running simulation is cancelled with 503), then exits.\n"
	"\n"
	"options:\n"
	"  --port N         TCP port (default 8080; 0 picks a free one, printed)\n"
	"  --address A      IPv4 or IPv6 address to bind (default 127.0.0.1; other than\n"
	"                   127.x or ::1 warns)\n"
	"  --allow-host H   also answer to Host H (a name, or name:port; repeatable),\n"
	"                   e.g. behind a reverse proxy\n"
	"  --body-limit N   request body limit in bytes (default 1048576)\n"
	"  --timeout S      idle connection timeout in seconds (default 10)\n"
	"  --max-jobs N     requests computed at once (default 4; more wait, then 503)\n"
	"  --max-work N     work budget of one request (default 8000000 units; over it:\n"
	"                   413 before the work, see lightfab --help)\n"
	"  --time-limit S   wall time of one request's simulation (default 30; over it\n"
	"                   the simulation is cancelled and the answer is 503)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab serve --port 8080      then open http://127.0.0.1:8080/?example=dgx-h100-4su\n"
	"  curl --data-binary @examples/dgx-h100-4su.yaml http://127.0.0.1:8080/api/plan\n");
}

void help_sim(FILE *f, const char *prog)
{
	(void)prog;
	fprintf(f,
	"usage: lightfab sim [options] SPEC.yaml WORKLOAD.yaml\n"
	"\n"
	"Plans the fabric of SPEC.yaml, then simulates WORKLOAD.yaml on it flow by flow\n"
	"(max-min fair sharing of every link, NVLink inside a server): either a list of\n"
	"collectives, one size or an nccl-tests-like sweep (8 B .. 8 GiB), printed as\n"
	"nccl-tests prints them (size, count, type, time in us, algbw, busbw in GB/s), or\n"
	"a training step derived from the model's shapes (layers, hidden, heads, MLP,\n"
	"vocabulary, MoE experts) and its layout (TP, CP, PP with virtual stages, DP,\n"
	"EP, Megatron-LM pipeline layouts; recompute by module, sequence parallelism,\n"
	"ZeRO/FSDP, offloading, the fused loss): every GEMM timed on a roofline\n"
	"of the GPU, all TP/PP/CP/EP/DP traffic of the step in one simulation, and the\n"
	"step broken down into compute, pipeline bubble and each kind's exposed\n"
	"communication, the memory per GPU against its HBM (weights, gradients,\n"
	"optimizer, activations in flight; recompute_modules, offload_layers), with\n"
	"tokens/s, MFU, HFU and the busiest links (example:\n"
	"lightfab sim examples/dgx-h100-4su.yaml examples/workload-llama70b.yaml); or a\n"
	"traffic matrix (flows listed, from a CSV file, or generated: permutation,\n"
	"all-to-all, incast, shift, random): last flow, flow completion time percentiles\n"
	"and slowdown against each flow alone.\n"
	"Collectives run as NCCL runs them: `algorithm: auto` is NCCL's tuner (v2.30.7\n"
	"tables) picking ring, tree, nvls, nvls-tree, collnet-direct/chain or pat and the\n"
	"LL, LL128 or Simple protocol per size; each row shows the choice.  The\n"
	"workload format and the model's assumptions are in docs/sim.md.\n"
	"\n"
	"options:\n"
	"  --table          nccl-tests-style table (default)\n"
	"  --json           JSON (a stable object, see docs/sim.md)\n"
	"  --csv            one row per size (collectives) or per kind of traffic (training)\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --routing R      default (the fabric's own: adaptive routing, i.e. spray, on\n"
	"                   InfiniBand and Spectrum-X, ECMP on other Ethernet), ecmp (hash\n"
	"                   each connection onto one path), spray (split every flow over all\n"
	"                   equal-cost paths), adaptive (least-loaded path at flow start) or\n"
	"                   ftree (the subnet manager's static up/down tables, D-mod-K);\n"
	"                   overrides the workload's sim.routing.   e.g. --routing ftree\n"
	"  --seed N         seed of the ECMP hash and of random link failures (default:\n"
	"                   the workload's sim.seed, else 1).      e.g. --seed 7\n"
	"  --failed-links N fail N links of the fabric picked at random (seeded), on top of\n"
	"                   the links the workload lists.         e.g. --failed-links 4\n"
	"  --gpus N         size of the job (overrides the workload's job.gpus). e.g. --gpus 256\n"
	"  --threads N      1 or 2: threads for all-to-alls over 256 ranks (one routes the\n"
	"                   next round while the other times this one; same results).\n"
	"                   Default: 2 when the machine has two or more CPUs. e.g. --threads 1\n"
	"  --quiet          no progress line (it is shown on a terminal for runs over 1 s)\n"
	"  --fct F.csv      traffic workloads: write one row per flow to F.csv (src, dst,\n"
	"                   bytes, start_us, finish_us, fct_us, ideal_us, slowdown, path:\n"
	"                   the links it used).        e.g. --fct fct.csv\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab sim examples/dgx-h100-4su.yaml examples/workload-allreduce-sweep.yaml\n"
	"  lightfab sim --fct fct.csv examples/dgx-h100-4su.yaml examples/workload-permutation.yaml\n"
	"  lightfab sim --routing spray --json -o sweep.json examples/dgx-h100-4su.yaml \\\n"
	"      examples/workload-allreduce-sweep.yaml\n"
	"  lightfab sim --failed-links 8 examples/dgx-h100-4su.yaml examples/workload-llama70b.yaml\n");
}

void help_sweep(FILE *f, const char *prog)
{
	cli_sweep_usage(f, 0, prog);
}

void help_compare(FILE *f, const char *prog)
{
	cli_sweep_usage(f, 1, prog);
}
