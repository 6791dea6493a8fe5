"""lightfab for Python: the C library (liblightfab.so) through ctypes.

Each function returns what `lightfab VERB --json` prints, as Python objects
(dicts and lists), computed by the same library calls the CLI makes:

    import lightfab
    p = lightfab.plan("examples/dgx-h100-4su.yaml")          # a path ...
    p = lightfab.plan(open("spec.yaml").read())              # ... or YAML text
    s = lightfab.sim("spec.yaml", "workload.yaml")
    o = lightfab.source("examples/supply-eml-shortage.yaml")
    r = lightfab.reliability("spec.yaml", job_gpus=512)

A spec, workload, scenario or parameters argument is a file path, or YAML
text when it holds a newline or names no file.  Errors raise LightfabError,
which carries the library's status, file, line, column and message.

The library is found at $LIGHTFAB_LIB, else next to this package in a
source tree (build/liblightfab.so), else as an installed liblightfab.so.0;
the catalog at $LIGHTFAB_CATALOG, else the install prefix's
share/lightfab/catalog, else the source tree's data/catalog.  Only the
Python standard library is used (ctypes, json).
"""
import ctypes
import ctypes.util
import json
import os

__all__ = ["plan", "sim", "source", "reliability", "LightfabError", "version"]

_HERE = os.path.dirname(os.path.abspath(__file__))
_TREE = os.path.dirname(os.path.dirname(_HERE))   # python/lightfab -> the source tree
# installed by `make install`: PREFIX/lib/python3/dist-packages/lightfab
_PREFIX = os.path.normpath(os.path.join(_HERE, "..", "..", "..", ".."))

LF_FMT_JSON = 1


class LightfabError(Exception):
    """A library error: status (lf_status), file, line and col (0 when not
    tied to a place), msg; str() is "file:line:col: msg" as the CLI prints."""

    def __init__(self, status, file, line, col, msg):
        self.status, self.file, self.line, self.col, self.msg = status, file, line, col, msg
        where = ":".join(str(x) for x in (file, line, col) if x) if file else ""
        super().__init__(f"{where}: {msg}" if where else msg)


class _Error(ctypes.Structure):
    _fields_ = [("status", ctypes.c_int), ("file", ctypes.c_char * 512),
                ("line", ctypes.c_int), ("col", ctypes.c_int), ("msg", ctypes.c_char * 1024)]


class _Pos(ctypes.Structure):
    _fields_ = [("file", ctypes.c_char_p), ("line", ctypes.c_int), ("col", ctypes.c_int)]


class _SupplyOption(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("spec_path", ctypes.c_char_p), ("pos", _Pos)]


class _SupplyScenario(ctypes.Structure):   # the leading, stable fields of lf_supply_scenario
    _fields_ = [("file", ctypes.c_char_p), ("name", ctypes.c_char_p), ("period", ctypes.c_int),
                ("start_month", ctypes.c_int), ("periods", ctypes.c_int),
                ("n_options", ctypes.c_size_t), ("options", ctypes.POINTER(_SupplyOption))]


def _find_lib():
    env = os.environ.get("LIGHTFAB_LIB")
    if env:
        return env
    for local in (os.path.join(_TREE, "build", "liblightfab.so"),
                  os.path.join(_PREFIX, "lib", "liblightfab.so.0")):
        if os.path.exists(local):
            return local
    found = ctypes.util.find_library("lightfab")
    return found or "liblightfab.so.0"


_lib = ctypes.CDLL(_find_lib())
_lib_path = None
try:
    _info = ctypes.CDLL(None)
except OSError:   # pragma: no cover
    _info = None

_P = ctypes.c_void_p
_PP = ctypes.POINTER(ctypes.c_void_p)
_E = ctypes.POINTER(_Error)
_S = ctypes.c_char_p


def _fn(name, args, res=ctypes.c_int):
    f = getattr(_lib, name)
    f.argtypes, f.restype = args, res
    return f


_catalog_new = _fn("lf_catalog_new", [_PP, _E])
_catalog_load_path = _fn("lf_catalog_load_path", [_P, _S, _E])
_catalog_finish = _fn("lf_catalog_finish", [_P, _E])
_catalog_free = _fn("lf_catalog_free", [_P], None)
_spec_load = _fn("lf_spec_load", [_S, _P, _PP, _E])
_spec_load_buffer = _fn("lf_spec_load_buffer", [_S, _S, ctypes.c_size_t, _P, _PP, _E])
_spec_resolve = _fn("lf_spec_resolve", [_P, _P, _E])
_spec_free = _fn("lf_spec_free", [_P], None)
_plan_build = _fn("lf_plan_build", [_P, _P, _PP, _E])
_plan_free = _fn("lf_plan_free", [_P], None)
_plan_render = _fn("lf_plan_render", [_P, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), _E])
_workload_load = _fn("lf_workload_load", [_S, _PP, _E])
_workload_load_buffer = _fn("lf_workload_load_buffer", [_S, _S, ctypes.c_size_t, _PP, _E])
_workload_free = _fn("lf_workload_free", [_P], None)
_workload_run = _fn("lf_workload_simulate", [_P, _P, _P, _P, _P, _PP, _E])
_sim_report_free = _fn("lf_sim_report_free", [_P], None)
_sim_report_render = _fn("lf_sim_report_render", [_P, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), _E])
_supply_load = _fn("lf_supply_scenario_load", [_S, _PP, _E])
_supply_load_buffer = _fn("lf_supply_scenario_load_buffer", [_S, _S, ctypes.c_size_t, _PP, _E])
_supply_scenario_free = _fn("lf_supply_scenario_free", [_P], None)
_supply_solve = _fn("lf_supply_solve", [_P, _PP, ctypes.POINTER(ctypes.c_char_p), ctypes.c_size_t, _PP, _E])
_supply_free = _fn("lf_supply_result_free", [_P], None)
_supply_render = _fn("lf_supply_result_render", [_P, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), _E])
_rel_params_load = _fn("lf_reliability_params_load", [_S, _PP, _E])
_rel_params_load_buffer = _fn("lf_reliability_params_load_buffer", [_S, _S, ctypes.c_size_t, _PP, _E])
_rel_params_free = _fn("lf_reliability_params_free", [_P], None)
_rel_compute = _fn("lf_reliability_compute", [_P, _P, ctypes.c_int64, _PP, _E])
_rel_free = _fn("lf_reliability_free", [_P], None)
_rel_render = _fn("lf_reliability_render", [_P, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), _E])
_free = _fn("lf_free", [_P], None)
_version = _fn("lf_version", [], ctypes.c_char_p)


def version():
    """The version of the library loaded (LF_VERSION)."""
    return _version().decode()


def _catalog_dir():
    env = os.environ.get("LIGHTFAB_CATALOG")
    if env:
        return env
    cands = []
    if os.path.sep in _lib._name:   # the library's own prefix, or the source tree
        libdir = os.path.dirname(os.path.realpath(_lib._name))
        cands += [os.path.join(libdir, "..", "share", "lightfab", "catalog"),
                  os.path.join(libdir, "..", "data", "catalog")]
    cands += [os.path.join(_PREFIX, "share", "lightfab", "catalog"),
              "/usr/share/lightfab/catalog", "/usr/local/share/lightfab/catalog"]
    for cand in cands:
        if os.path.isdir(cand):
            return os.path.normpath(cand)
    return cands[-1]


def _raise(st, err):
    if st != 0:
        e = err
        raise LightfabError(st, e.file.decode(errors="replace"), e.line, e.col,
                            e.msg.decode(errors="replace"))


def _is_text(arg):
    return "\n" in arg or not os.path.exists(arg)


def _load(arg, by_path, by_buffer, *extra):
    """Call a loader with a path, or with YAML text named "<string>"."""
    out, err = ctypes.c_void_p(), _Error()
    if _is_text(arg):
        data = arg.encode()
        st = by_buffer(b"<string>", data, len(data), *extra, ctypes.byref(out), ctypes.byref(err))
    else:
        st = by_path(arg.encode(), *extra, ctypes.byref(out), ctypes.byref(err))
    _raise(st, err)
    return out


def _render(fn, obj):
    text, err = ctypes.c_void_p(), _Error()
    _raise(fn(obj, LF_FMT_JSON, ctypes.byref(text), ctypes.byref(err)), err)
    try:
        return json.loads(ctypes.string_at(text).decode())
    finally:
        _free(text)


class _Planned:
    """The catalog, spec and plan of one spec, freed together."""

    def __init__(self, spec, catalogs=()):
        self.cat = self.spec = self.plan = None
        err = _Error()
        cat = ctypes.c_void_p()
        _raise(_catalog_new(ctypes.byref(cat), ctypes.byref(err)), err)
        self.cat = cat
        for path in (_catalog_dir(), *catalogs):
            _raise(_catalog_load_path(cat, path.encode(), ctypes.byref(err)), err)
        self.spec = _load(spec, _spec_load, _spec_load_buffer, cat)
        _raise(_catalog_finish(cat, ctypes.byref(err)), err)
        _raise(_spec_resolve(self.spec, cat, ctypes.byref(err)), err)
        plan = ctypes.c_void_p()
        _raise(_plan_build(self.spec, cat, ctypes.byref(plan), ctypes.byref(err)), err)
        self.plan = plan

    def close(self):
        if self.plan:
            _plan_free(self.plan)
        if self.spec:
            _spec_free(self.spec)
        if self.cat:
            _catalog_free(self.cat)
        self.cat = self.spec = self.plan = None

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()


def plan(spec, catalogs=()):
    """`lightfab plan --json SPEC`: the fabric and its bill of materials."""
    with _Planned(spec, catalogs) as p:
        return _render(_plan_render, p.plan)


def sim(spec, workload, catalogs=()):
    """`lightfab sim --json SPEC WORKLOAD`: collectives or a training step."""
    wl = _load(workload, _workload_load, _workload_load_buffer)
    try:
        with _Planned(spec, catalogs) as p:
            rep, err = ctypes.c_void_p(), _Error()
            _raise(_workload_run(p.plan, wl, None, None, None, ctypes.byref(rep),
                                 ctypes.byref(err)), err)
            try:
                return _render(_sim_report_render, rep)
            finally:
                _sim_report_free(rep)
    finally:
        _workload_free(wl)


def reliability(spec, params=None, job_gpus=0, catalogs=()):
    """`lightfab reliability --json [--params P] [--job-gpus N] SPEC`."""
    if params:
        prm = _load(params, _rel_params_load, _rel_params_load_buffer)
    else:   # the built-in defaults, as the CLI without --params
        prm, err = ctypes.c_void_p(), _Error()
        _raise(_rel_params_load(None, ctypes.byref(prm), ctypes.byref(err)), err)
    try:
        with _Planned(spec, catalogs) as p:
            rel, err = ctypes.c_void_p(), _Error()
            _raise(_rel_compute(p.plan, prm, int(job_gpus), ctypes.byref(rel),
                                ctypes.byref(err)), err)
            try:
                return _render(_rel_render, rel)
            finally:
                _rel_free(rel)
    finally:
        _rel_params_free(prm)


def source(scenario, spec=None, catalogs=()):
    """`lightfab source --json SCENARIO [SPEC]`: with no SPEC, the specs the
    scenario names (`spec:` or `options:`), relative to the scenario."""
    sc = _load(scenario, _supply_load, _supply_load_buffer)
    planned = []
    try:
        view = ctypes.cast(sc, ctypes.POINTER(_SupplyScenario)).contents
        if spec is not None:
            specs = [(None, spec)]
        else:
            specs = [(view.options[i].name, view.options[i].spec_path.decode())
                     for i in range(view.n_options)]
        if not specs:
            raise LightfabError(2, "", 0, 0, "the scenario names no spec: give spec=, or "
                                "spec: in the scenario")
        for _, path in specs:
            planned.append(_Planned(path, catalogs))
        plans = (ctypes.c_void_p * len(planned))(*[p.plan.value for p in planned])
        names = (ctypes.c_char_p * len(planned))(*[n for n, _ in specs])
        res, err = ctypes.c_void_p(), _Error()
        _raise(_supply_solve(sc, ctypes.cast(plans, _PP), names, len(planned),
                             ctypes.byref(res), ctypes.byref(err)), err)
        try:
            return _render(_supply_render, res)
        finally:
            _supply_free(res)
    finally:
        for p in planned:
            p.close()
        _supply_scenario_free(sc)
