#!/usr/bin/env python3
"""docs/design.md's "From a figure to its function" table names functions and
the files that define them: every name must be defined in one of the files
its row names (so that the doc cannot drift from the code); and every src/
path the docs and the code name must exist.  Prints
"design: N passed, M failed"."""
import re, sys, os
os.chdir(os.path.join(os.path.dirname(__file__), '..'))
doc = open('docs/design.md').read()
sec = doc.split('## From a figure to its function', 1)[1].split('\n## ', 1)[0]
ok = bad = 0
for row in sec.splitlines():
    cells = row.split('|')
    if len(cells) < 4 or cells[1].strip() in ('output (JSON field / table column)', '---'):
        continue
    code = cells[2]
    ticks = re.findall(r'`([^`]+)`', code)
    files, last = [], None
    for t in ticks:
        if '/' in t or t.endswith('.c'):
            last = t if '/' in t else (os.path.dirname(last) + '/' + t if last else t)
            files.append(last)
    names = [t for t in ticks if '/' not in t and not t.endswith('.c')]
    srcs = ''.join(open(f).read() for f in files if os.path.exists(f))
    for f in files:
        if not os.path.exists(f):
            print('FAIL design: %s names %s, which does not exist' % (cells[1].strip(), f)); bad += 1
    for n in names:
        if re.search(r'^[a-z_].*\b%s\(' % re.escape(n), srcs, re.M):
            ok += 1
        else:
            print('FAIL design: %s: %s is not defined in %s' % (cells[1].strip(), n, ', '.join(files)))
            bad += 1
# every src/ path the docs and the code name exists (paths drift when files move)
import glob
named = ['README.md', 'include/lightfab.h'] + glob.glob('docs/*.md') + glob.glob('bench/README.md') \
    + glob.glob('src/*/*.[ch]') + glob.glob('tests/*.c') + glob.glob('tools/*.c')
stale = []
for f in named:
    for m in re.finditer(r'(?<![\w/.])src/[a-z_/]+\.[ch]\b', open(f).read()):
        if not os.path.exists(m.group(0)):
            stale.append('%s names %s' % (f, m.group(0)))
for x in sorted(set(stale)):
    print('FAIL design: ' + x + ', which does not exist')
bad += len(set(stale))
ok += 1 if not stale else 0
print('design: %d passed, %d failed' % (ok, bad))
sys.exit(1 if bad else 0)
