# lightfab — plain Makefile, pkg-config for every library.
#   make          release build: build/lightfab, build/liblightfab.a
#   make test     ASan + UBSan build, then every test (tests/run.sh)
#   make bench    benchmarks (bench/README.md records the figures)
#   make fuzz     libFuzzer targets (clang), short smoke run
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
BASE    := -std=c17 -D_GNU_SOURCE $(WARN) -Iinclude -Isrc $(PKG_CFLAGS) \
           -DLF_DATADIR='"$(DATADIR)"'
CFLAGS  ?= -O2 -g
SAN     := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

SRC     := $(sort $(wildcard src/*.c))
REL_OBJ := $(SRC:src/%.c=build/rel/%.o)
SAN_OBJ := $(SRC:src/%.c=build/asan/%.o)
TESTS   := $(sort $(wildcard tests/test_*.c))
TEST_BIN:= $(TESTS:tests/%.c=build/asan/%)
HDRS    := include/lightfab.h src/internal.h src/emit.h src/maxmin.h src/sim.h src/media.h src/supply.h src/svg.h src/serve_assets.h

# MPI (OpenMPI): build/lightfab-mpi, the distributed sweep, only when mpicc is
# found; nothing else depends on it.
MPICC   ?= $(shell command -v mpicc || true)
MPI_BIN := $(if $(MPICC),build/lightfab-mpi)

all: build/lightfab $(MPI_BIN)

build/rel/%.o: src/%.c $(HDRS) | build/rel
	$(CC) $(BASE) $(CFLAGS) -c $< -o $@
build/asan/%.o: src/%.c $(HDRS) | build/asan
	$(CC) $(BASE) $(SAN) -c $< -o $@

build/liblightfab.a: $(REL_OBJ)
	ar rcs $@ $^
build/asan/liblightfab.a: $(SAN_OBJ)
	ar rcs $@ $^

build/lightfab: tools/lightfab.c tools/sweep_cli.h build/liblightfab.a
	$(CC) $(BASE) $(CFLAGS) $< build/liblightfab.a $(LIBS) -o $@
build/asan/lightfab: tools/lightfab.c tools/sweep_cli.h build/asan/liblightfab.a
	$(CC) $(BASE) $(SAN) $< build/asan/liblightfab.a $(LIBS) -o $@
build/lightfab-mpi: tools/lightfab_mpi.c tools/sweep_cli.h build/liblightfab.a
	$(MPICC) $(BASE) $(CFLAGS) $< build/liblightfab.a $(LIBS) -o $@

build/asan/test_%: tests/test_%.c tests/testutil.h build/asan/liblightfab.a
	$(CC) $(BASE) $(SAN) $(shell pkg-config --cflags cmocka) $< build/asan/liblightfab.a \
	    $(LIBS) $(shell pkg-config --libs cmocka) -o $@

build/rel build/asan build/fuzz:
	mkdir -p $@

test: build/asan/lightfab $(TEST_BIN) build/lightfab $(MPI_BIN)
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
FUZZ_BASE := -std=c17 -D_GNU_SOURCE -Iinclude -Isrc $(PKG_CFLAGS) -g -O1 \
             -fno-sanitize-recover=all -fno-omit-frame-pointer -DLF_DATADIR='"$(DATADIR)"'
FUZZ_FLAGS := $(FUZZ_BASE) -fsanitize=fuzzer,address,undefined
FUZZ_SECONDS ?= 20
FUZZ_OBJ := $(SRC:src/%.c=build/fuzz/%.o)
FUZZ_TARGETS := $(patsubst fuzz/%.c,build/fuzz/%,$(wildcard fuzz/fuzz_*.c))
build/fuzz/%.o: src/%.c $(HDRS) | build/fuzz
	$(FUZZ_CC) $(FUZZ_BASE) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
build/fuzz/liblightfab.a: $(FUZZ_OBJ)
	ar rcs $@ $^
build/fuzz/fuzz_%: fuzz/fuzz_%.c build/fuzz/liblightfab.a
	$(FUZZ_CC) $(FUZZ_FLAGS) $< build/fuzz/liblightfab.a $(LIBS) -o $@
fuzz: $(FUZZ_TARGETS)
	fuzz/run.sh $(FUZZ_SECONDS)

clean:
	rm -rf build

.PHONY: all test bench bench-supply fuzz clean
.SECONDARY:
