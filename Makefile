# lightfab — plain Makefile, pkg-config for every library.
#   make          release build: build/lightfab, build/liblightfab.a
#   make test     ASan + UBSan build, then every test (tests/run.sh)
#   make bench    benchmarks (bench/README.md records the figures)
#   make fuzz     libFuzzer targets (clang), short smoke run
#   make install  PREFIX=/usr/local DESTDIR=: the binary, static and shared
#                 library, header, pkg-config file, catalog, examples, man
#                 pages, bash completion (make uninstall removes them)
#   make deb      build/lightfab_VERSION_ARCH.deb from a staged install
#   make clean

CC      ?= cc
PKGS    := yaml-0.1 jansson libcgraph libgvc libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
# the Graphviz plugins the report links in (dot layout, SVG renderer)
GV_PLUGINS := $(shell pkg-config --variable=libdir libgvc)/graphviz
LIBS    := $(PKG_LIBS) -lglpk -lm -pthread -L$(GV_PLUGINS) -Wl,-rpath,$(GV_PLUGINS) \
           -lgvplugin_dot_layout -lgvplugin_core
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
DATADIR ?= $(CURDIR)/data/catalog
# src/ holds one folder per layer, lowest first (docs/design.md; tests/layers.sh
# checks that no file includes or calls a higher layer)
LAYERS  := core plan sim reliability supply render explore serve
SRC_INC := $(addprefix -Isrc/,$(LAYERS))
BASE    := -std=c17 -D_GNU_SOURCE $(WARN) -Iinclude $(SRC_INC) $(PKG_CFLAGS) \
           -ffile-prefix-map=$(CURDIR)=. -DLF_DATADIR='"$(DATADIR)"'
CFLAGS  ?= -O2 -g
# the release objects are position-independent: they make both libraries
PIC     := -fPIC
VERSION := $(shell sed -n 's/^\#define LF_VERSION "\(.*\)"/\1/p' include/lightfab.h)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
SHAREDIR?= $(PREFIX)/share
SAN     := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

SRC     := $(sort $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c)))
REL_OBJ := $(patsubst %.c,build/rel/%.o,$(notdir $(SRC)))
SAN_OBJ := $(patsubst %.c,build/asan/%.o,$(notdir $(SRC)))
vpath %.c $(addprefix src/,$(LAYERS))
TESTS   := $(sort $(wildcard tests/test_*.c))
TEST_BIN:= $(TESTS:tests/%.c=build/asan/%)
HDRS    := include/lightfab.h $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.h))

# MPI (OpenMPI): build/lightfab-mpi, the distributed sweep, only when mpicc is
# found; nothing else depends on it.
MPICC   ?= $(shell command -v mpicc || true)
MPI_BIN := $(if $(MPICC),build/lightfab-mpi)

all: build/lightfab $(MPI_BIN) build/liblightfab.so.$(VERSION) build/lightfab.pc

build/rel/%.o: %.c $(HDRS) | build/rel
	$(CC) $(BASE) $(CFLAGS) $(PIC) -c $< -o $@
build/asan/%.o: %.c $(HDRS) | build/asan
	$(CC) $(BASE) $(SAN) -c $< -o $@

build/liblightfab.a: $(REL_OBJ)
	ar rcs $@ $^

# The shared library exports the functions of the public header only.
build/lightfab.map: include/lightfab.h | build/rel
	{ echo '{ global:'; sed -n 's/^[a-z].*[ *]\(lf_[a-z0-9_]*\)(.*/  \1;/p' $< | sort -u; \
	  echo 'local: *; };'; } > $@
build/liblightfab.so.$(VERSION): $(REL_OBJ) build/lightfab.map
	$(CC) -shared -Wl,-soname,liblightfab.so.$(SOMAJOR) -Wl,--version-script,build/lightfab.map \
	    $(REL_OBJ) $(LIBS) -o $@
	ln -sf liblightfab.so.$(VERSION) build/liblightfab.so.$(SOMAJOR)
	ln -sf liblightfab.so.$(VERSION) build/liblightfab.so
build/lightfab.pc: Makefile include/lightfab.h build/inst/prefix | build/rel
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCDIR)' '' \
	    'Name: lightfab' \
	    'Description: plan, simulate and source the optical interconnect of AI GPU clusters' \
	    'Version: $(VERSION)' 'Requires.private: $(PKGS)' \
	    'Libs: -L$${libdir} -llightfab' 'Libs.private: -lglpk -lm -pthread' \
	    'Cflags: -I$${includedir}' > $@
build/asan/liblightfab.a: $(SAN_OBJ)
	ar rcs $@ $^

# the tools: one verb table (lightfab.c), the shared skeleton (cli.c,
# cli_sweep.c; also in lightfab-mpi) and the help texts
TOOL_HDRS := tools/cli.h tools/help.h
CLI_SRC := tools/cli.c tools/cli_sweep.c
build/lightfab: tools/lightfab.c tools/help.c $(CLI_SRC) $(TOOL_HDRS) build/liblightfab.a
	$(CC) $(BASE) $(CFLAGS) $< tools/help.c $(CLI_SRC) build/liblightfab.a $(LIBS) -o $@
build/asan/lightfab: tools/lightfab.c tools/help.c $(CLI_SRC) $(TOOL_HDRS) build/asan/liblightfab.a
	$(CC) $(BASE) $(SAN) $< tools/help.c $(CLI_SRC) build/asan/liblightfab.a $(LIBS) -o $@
build/lightfab-mpi: tools/lightfab_mpi.c $(CLI_SRC) $(TOOL_HDRS) build/liblightfab.a
	$(MPICC) $(BASE) $(CFLAGS) $< $(CLI_SRC) build/liblightfab.a $(LIBS) -o $@

build/asan/test_%: tests/test_%.c tests/testutil.h build/asan/liblightfab.a
	$(CC) $(BASE) $(SAN) $(shell pkg-config --cflags cmocka) $< build/asan/liblightfab.a \
	    $(LIBS) $(shell pkg-config --libs cmocka) -o $@

build/rel build/asan build/fuzz:
	mkdir -p $@

test: build/asan/lightfab $(TEST_BIN) build/lightfab $(MPI_BIN) build/liblightfab.so.$(VERSION)
	tests/run.sh

# ---- benchmarks
build/bench_plan: bench/bench_plan.c build/liblightfab.a
	$(CC) $(BASE) $(CFLAGS) $< build/liblightfab.a $(LIBS) -o $@
build/bench_sim: bench/bench_sim.c build/liblightfab.a
	$(CC) $(BASE) $(CFLAGS) $< build/liblightfab.a $(LIBS) -o $@
bench: build/lightfab build/bench_plan build/bench_sim
	bench/run.sh
	build/bench_sim
build/bench_supply: bench/bench_supply.c build/liblightfab.a
	$(CC) $(BASE) $(CFLAGS) $< build/liblightfab.a $(LIBS) -o $@
bench-supply: build/bench_supply
	BENCH_NOVALUE=1 build/bench_supply
	build/bench_supply

# ---- fuzzing (clang + libFuzzer)
# The library is built once with coverage (fuzzer-no-link) into an archive,
# so a target links only the objects it uses.
FUZZ_CC  ?= clang
FUZZ_BASE := -std=c17 -D_GNU_SOURCE -Iinclude $(SRC_INC) $(PKG_CFLAGS) -g -O1 \
             -fno-sanitize-recover=all -fno-omit-frame-pointer -DLF_DATADIR='"$(DATADIR)"'
FUZZ_FLAGS := $(FUZZ_BASE) -fsanitize=fuzzer,address,undefined
FUZZ_SECONDS ?= 20
FUZZ_OBJ := $(patsubst %.c,build/fuzz/%.o,$(notdir $(SRC)))
FUZZ_TARGETS := $(patsubst fuzz/%.c,build/fuzz/%,$(wildcard fuzz/fuzz_*.c))
build/fuzz/%.o: %.c $(HDRS) | build/fuzz
	$(FUZZ_CC) $(FUZZ_BASE) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
build/fuzz/liblightfab.a: $(FUZZ_OBJ)
	ar rcs $@ $^
build/fuzz/fuzz_%: fuzz/fuzz_%.c build/fuzz/liblightfab.a
	$(FUZZ_CC) $(FUZZ_FLAGS) $< build/fuzz/liblightfab.a $(LIBS) -o $@
fuzz: $(FUZZ_TARGETS)
	fuzz/run.sh $(FUZZ_SECONDS)

# ---- install: the binary links the shared library and knows the prefix's
# catalog (tools/cli.c also finds it from its own path under DESTDIR)
INST_BASE := $(subst -DLF_DATADIR='"$(DATADIR)"',-DLF_DATADIR='"$(SHAREDIR)/lightfab/catalog"',$(BASE))
# rebuilt when PREFIX changes (the catalog path is compiled in)
build/inst/prefix: FORCE | build/inst
	@echo '$(PREFIX) $(SHAREDIR) $(LIBDIR) $(INCDIR)' | cmp -s - $@ || \
	    echo '$(PREFIX) $(SHAREDIR) $(LIBDIR) $(INCDIR)' > $@
FORCE:
build/inst/lightfab: tools/lightfab.c tools/help.c $(CLI_SRC) $(TOOL_HDRS) \
                     build/liblightfab.so.$(VERSION) build/inst/prefix | build/inst
	$(CC) $(INST_BASE) $(CFLAGS) $< tools/help.c $(CLI_SRC) -Lbuild -llightfab $(LIBS) -o $@
build/inst/lightfab-mpi: tools/lightfab_mpi.c $(CLI_SRC) $(TOOL_HDRS) \
                         build/liblightfab.so.$(VERSION) build/inst/prefix | build/inst
	$(MPICC) $(INST_BASE) $(CFLAGS) $< $(CLI_SRC) -Lbuild -llightfab $(LIBS) -o $@
build/inst:
	mkdir -p $@
MAN_PAGES := build/man/lightfab.1 build/man/lightfab-spec.5
build/man/lightfab.1 build/man/lightfab-spec.5 build/lightfab.bash: build/lightfab tools/gen-man.py \
    docs/sim.md docs/source.md docs/reliability.md docs/sweep.md
	mkdir -p build/man
	python3 tools/gen-man.py build/lightfab build/man build/lightfab.bash
man: $(MAN_PAGES)
INST_MPI := $(if $(MPICC),build/inst/lightfab-mpi)
install: build/inst/lightfab $(INST_MPI) build/liblightfab.a build/liblightfab.so.$(VERSION) \
         build/lightfab.pc $(MAN_PAGES) build/lightfab.bash
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR) \
	    $(DESTDIR)$(SHAREDIR)/lightfab/catalog $(DESTDIR)$(SHAREDIR)/doc/lightfab/examples \
	    $(DESTDIR)$(SHAREDIR)/man/man1 $(DESTDIR)$(SHAREDIR)/man/man5 \
	    $(DESTDIR)$(SHAREDIR)/bash-completion/completions
	install -m 755 build/inst/lightfab $(INST_MPI) $(DESTDIR)$(BINDIR)/
	install -m 644 build/liblightfab.a $(DESTDIR)$(LIBDIR)/
	install -m 755 build/liblightfab.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf liblightfab.so.$(VERSION) $(DESTDIR)$(LIBDIR)/liblightfab.so.$(SOMAJOR)
	ln -sf liblightfab.so.$(VERSION) $(DESTDIR)$(LIBDIR)/liblightfab.so
	install -m 644 build/lightfab.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 include/lightfab.h $(DESTDIR)$(INCDIR)/
	install -m 644 data/catalog/*.yaml $(DESTDIR)$(SHAREDIR)/lightfab/catalog/
	install -m 644 examples/*.yaml $(DESTDIR)$(SHAREDIR)/doc/lightfab/examples/
	install -m 644 build/man/lightfab.1 $(DESTDIR)$(SHAREDIR)/man/man1/
	install -m 644 build/man/lightfab-spec.5 $(DESTDIR)$(SHAREDIR)/man/man5/
	install -m 644 build/lightfab.bash $(DESTDIR)$(SHAREDIR)/bash-completion/completions/lightfab
	install -d $(DESTDIR)$(LIBDIR)/python3/dist-packages/lightfab
	install -m 644 python/lightfab/__init__.py $(DESTDIR)$(LIBDIR)/python3/dist-packages/lightfab/
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lightfab $(DESTDIR)$(BINDIR)/lightfab-mpi \
	    $(DESTDIR)$(LIBDIR)/liblightfab.a $(DESTDIR)$(LIBDIR)/liblightfab.so* \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/lightfab.pc $(DESTDIR)$(INCDIR)/lightfab.h \
	    $(DESTDIR)$(SHAREDIR)/man/man1/lightfab.1 $(DESTDIR)$(SHAREDIR)/man/man5/lightfab-spec.5 \
	    $(DESTDIR)$(SHAREDIR)/bash-completion/completions/lightfab
	rm -rf $(DESTDIR)$(SHAREDIR)/lightfab $(DESTDIR)$(SHAREDIR)/doc/lightfab \
	    $(DESTDIR)$(LIBDIR)/python3/dist-packages/lightfab
	-rmdir -p $(DESTDIR)$(LIBDIR)/python3/dist-packages $(DESTDIR)$(LIBDIR)/pkgconfig \
	    $(DESTDIR)$(SHAREDIR)/bash-completion/completions $(DESTDIR)$(SHAREDIR)/man/man1 \
	    $(DESTDIR)$(SHAREDIR)/man/man5 $(DESTDIR)$(INCDIR) $(DESTDIR)$(BINDIR) 2>/dev/null

# ---- a Debian package from a staged install (dpkg-deb); Depends from the
# packages that own the shared libraries the binary and library link
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB := build/lightfab_$(VERSION)_$(DEB_ARCH).deb
deb: $(DEB)
$(DEB): build/inst/lightfab build/liblightfab.so.$(VERSION) tools/mkdeb.sh
	tools/mkdeb.sh $(VERSION) $(DEB_ARCH) $@

clean:
	rm -rf build

.PHONY: all test bench bench-supply fuzz clean install uninstall deb man FORCE
.SECONDARY:
