#!/usr/bin/env python3
"""gen-man.py — lightfab(1), lightfab-spec(5) and the bash completion, made
from the one source each already has, so they cannot drift:

  lightfab(1)       the built binary's own help: `lightfab --help` for the
                    synopsis and the verb list, `lightfab help VERB` for one
                    section per verb (options, examples) — the text `--help`
                    prints;
  lightfab-spec(5)  the format sections of README.md and docs/*.md (spec and
                    catalog, workload, supply scenario, reliability
                    parameters, sweep file);
  completion        verbs and each verb's options, read off the same help.

usage: tools/gen-man.py BUILD/lightfab OUTDIR COMPLETION_FILE
"""
import datetime
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_help(binary, *args):
    out = subprocess.run([binary, *args], capture_output=True, text=True, check=True)
    return out.stdout


def esc(line):
    """Escape one line of text for roff: backslashes, and a leading dot or
    apostrophe that roff would take for a request."""
    line = line.replace("\\", "\\e")
    line = line.replace("-", "\\-")
    # non-ASCII (em dash, times, micro, >=) as groff's Unicode escapes
    line = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in line)
    if line.startswith((".", "'")):
        line = "\\&" + line
    return line


def verbs_of(main_help):
    """The verb list of `lightfab --help`: lines of two spaces, a word, then
    two spaces or more."""
    verbs, seen = [], False
    for line in main_help.splitlines():
        if line.startswith("verbs:"):
            seen = True
            continue
        if seen and not line.strip():
            if verbs:
                break
            continue
        m = re.match(r"^  ([a-z][a-z-]*)\s{2,}", line)
        if seen and m and m.group(1) != "help":
            verbs.append(m.group(1))
    return verbs


def options_of(text):
    return sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", text)))


def preformatted(text):
    out = [".nf"]
    out += [esc(l) for l in text.rstrip("\n").splitlines()]
    out.append(".fi")
    return out


def man1(binary, version, date):
    main = run_help(binary, "--help")
    verbs = verbs_of(main)
    if not verbs:
        sys.exit("gen-man: no verbs found in `lightfab --help`")
    lines = [
        f'.TH LIGHTFAB 1 "{date}" "lightfab {version}" "User Commands"',
        ".SH NAME",
        "lightfab \\- plan, simulate and source the optical interconnect of AI GPU clusters",
        ".SH SYNOPSIS",
        ".B lightfab",
        ".I verb",
        "[\\fIoptions\\fR] \\fIFILE\\fR...",
        ".SH DESCRIPTION",
        "The text below is what \\fBlightfab \\-\\-help\\fR prints; each verb has a",
        "section of its own, what \\fBlightfab help\\fR \\fIverb\\fR prints.",
        "The file formats are in \\fBlightfab\\-spec\\fR(5).",
        ".PP",
    ]
    lines += preformatted(main)
    lines.append(".SH VERBS")
    helps = {}
    for v in verbs:
        h = run_help(binary, "help", v)
        helps[v] = h
        lines.append(f".SS {v}")
        lines += preformatted(h)
    lines += [
        ".SH ENVIRONMENT",
        ".TP",
        ".B LIGHTFAB_CATALOG",
        "the catalog directory or file to load instead of the bundled one",
        "(\\fIPREFIX\\fR/share/lightfab/catalog for an installed lightfab).",
        ".SH FILES",
        ".TP",
        ".I PREFIX/share/lightfab/catalog",
        "the bundled catalog: switches, servers, NICs, transceivers, cables, fibres.",
        ".TP",
        ".I PREFIX/share/doc/lightfab/examples",
        "example specs, workloads, supply scenarios and parameters.",
        ".SH EXIT STATUS",
        "0 ok, 1 bad input, 2 bad usage, 3 i/o error, 4 internal error.",
        ".SH SEE ALSO",
        "\\fBlightfab\\-spec\\fR(5)",
    ]
    return "\n".join(lines) + "\n", verbs, helps, main


def md_section(path, heading):
    """The markdown text under `heading` (a line starting with #'s) up to the
    next heading of the same or a higher level."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        text = f.read().splitlines()
    out, level = [], None
    for line in text:
        m = re.match(r"^(#+)\s+(.*)$", line)
        if m and level is not None and len(m.group(1)) <= level:
            break
        if m and level is None and m.group(2).strip() == heading:
            level = len(m.group(1))
            continue
        if level is not None:
            out.append(line)
    if level is None:
        sys.exit(f"gen-man: no section '{heading}' in {path}")
    return out


def inline(s):
    s = esc(s)
    s = re.sub(r"\*\*(.+?)\*\*", r"\\fB\1\\fR", s)
    s = re.sub(r"`([^`]+)`", r"\\fB\1\\fR", s)
    s = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", s)
    return s


def md_to_roff(lines):
    out, in_code, para = [], False, False
    for line in lines:
        if line.startswith("```"):
            out.append(".fi" if in_code else ".nf")
            in_code = not in_code
            para = False
            continue
        if in_code:
            out.append(esc(line))
            continue
        m = re.match(r"^(#+)\s+(.*)$", line)
        if m:
            out.append(".SS " + inline(m.group(2)))
            para = False
            continue
        if not line.strip():
            para = False
            continue
        m = re.match(r"^\s*[-*]\s+(.*)$", line)
        if m:
            out += [".IP \\(bu 2", inline(m.group(1))]
            para = True
            continue
        if line.startswith("|"):
            out += [".nf", esc(line), ".fi"]
            continue
        if not para:
            out.append(".PP")
            para = True
        out.append(inline(line.strip()))
    if in_code:
        out.append(".fi")
    return out


SPEC_SECTIONS = [
    ("THE SPEC", "README.md", "The spec"),
    ("THE CATALOG", "README.md", "Catalog"),
    ("THE WORKLOAD (lightfab sim)", "docs/sim.md", "The workload file"),
    ("THE SUPPLY SCENARIO (lightfab source)", "docs/source.md", "Scenario reference"),
    ("RELIABILITY PARAMETERS (lightfab reliability \\-\\-params)", "docs/reliability.md",
     "Parameters (`--params`)"),
    ("THE SWEEP FILE (lightfab sweep \\-\\-sweep)", "docs/sweep.md",
     "The sweep file (--sweep FILE)"),
]


def man5(version, date):
    lines = [
        f'.TH LIGHTFAB\\-SPEC 5 "{date}" "lightfab {version}" "File Formats"',
        ".SH NAME",
        "lightfab\\-spec \\- the YAML files lightfab reads: spec, catalog, workload,",
        "supply scenario, reliability parameters, sweep file",
        ".SH DESCRIPTION",
        "Every file is YAML.  A mistake is reported as \\fIfile\\fR:\\fIline\\fR:\\fIcol\\fR",
        "with what was expected and what was found; unknown keys are errors with a",
        "did\\-you\\-mean; units are spelled out (400G, 1.6T, 30m, 1GiB, 5us, 2026\\-03).",
    ]
    for title, path, heading in SPEC_SECTIONS:
        lines.append(".SH " + title)
        lines += md_to_roff(md_section(path, heading))
    lines += [".SH SEE ALSO", "\\fBlightfab\\fR(1)"]
    return "\n".join(lines) + "\n"


def completion(verbs, helps, main):
    common = options_of(main)
    cases = []
    for v in verbs:
        opts = " ".join(sorted(set(options_of(helps[v]) + common + ["-h", "--help"])))
        cases.append(f"        {v}) opts=\"{opts}\" ;;")
    return f"""# bash completion for lightfab (made by tools/gen-man.py from `lightfab --help`)
_lightfab()
{{
    local cur verb opts
    cur=${{COMP_WORDS[COMP_CWORD]}}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "{' '.join(verbs)} help --help --version" -- "$cur"))
        return
    fi
    verb=${{COMP_WORDS[1]}}
    case "$verb" in
{chr(10).join(cases)}
        help) COMPREPLY=($(compgen -W "{' '.join(verbs)}" -- "$cur")); return ;;
        *) opts="" ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null
    fi
}}
complete -F _lightfab lightfab
"""


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    binary, outdir, comp = sys.argv[1:]
    version = run_help(binary, "--version").split()[-1]
    # reproducible: the date of the last commit, else SOURCE_DATE_EPOCH, else today
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        try:
            epoch = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%ct"],
                                   capture_output=True, text=True).stdout.strip()
        except OSError:
            epoch = ""
    day = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
           else datetime.datetime.now(datetime.timezone.utc)).strftime("%Y-%m-%d")
    page1, verbs, helps, mainhelp = man1(binary, version, day)
    with open(os.path.join(outdir, "lightfab.1"), "w", encoding="utf-8") as f:
        f.write(page1)
    with open(os.path.join(outdir, "lightfab-spec.5"), "w", encoding="utf-8") as f:
        f.write(man5(version, day))
    with open(comp, "w", encoding="utf-8") as f:
        f.write(completion(verbs, helps, mainhelp))


if __name__ == "__main__":
    main()
