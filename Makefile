# Convenience targets over CMake. The real build is CMakeLists.txt.
#   make          build (build/)            make check   lint, all tests (plain, ASan+UBSan), fuzz
#   make demo     diagnose the bundled log  make lint    cppcheck + clang-tidy
#   make check-fresh   make check on a fresh clone of HEAD in an empty temporary folder
#   make fuzz     run every fuzzer (FUZZ_SECONDS each, default 600)
#   make fuzz-long  every fuzzer 30 minutes (the campaign recorded in docs/testing.md)
#   make bench    run the benchmarks in bench/
#   make sslopt   fetch Debian's Mbed TLS 2.28 source, run its ssl-opt.sh, score tlsdoctor on the logs
#                 (tests/sslopt/run.sh; not part of make check: about 5 minutes here once fetched and built)
JOBS        ?= 2
FUZZ_SECONDS ?= 600
CHECK_FUZZ_SECONDS ?= 20

.PHONY: all build deps build-deps demo check check-plain check-asan check-fresh fuzz-build fuzz fuzz-short fuzz-long lint bench sslopt clean

all: build

build-deps:
	@scripts/install-deps build

deps:
	@scripts/install-deps test

build: build-deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j$(JOBS)

demo: build
	@scripts/demo build/src/tlsdoctor

# scripts/run-ctest runs ctest, then prints each corpus test's count and a line counting the
# passed, failed and skipped tests (with each skip's reason), so CI's log shows them.
check: deps lint check-plain check-asan fuzz-short

check-plain:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build -j$(JOBS)
	scripts/run-ctest build --output-on-failure -j$(JOBS) -L unit

# In CI (CI set) the real peers always run: the machine-wide cache of generated cases is not used.
check-asan:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTD_SANITIZE=ON >/dev/null
	cmake --build build-asan -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    TD_CASES_NO_CACHE=$${CI:+1} scripts/run-ctest build-asan --output-on-failure -j$(JOBS)

check-fresh:
	scripts/check-fresh

fuzz-build:
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DTD_FUZZ=ON >/dev/null
	cmake --build build-fuzz -j$(JOBS)

fuzz-short: fuzz-build
	scripts/run-fuzzers build-fuzz $(CHECK_FUZZ_SECONDS)

fuzz: build-deps fuzz-build
	scripts/run-fuzzers build-fuzz $(FUZZ_SECONDS)

fuzz-long: build-deps fuzz-build
	scripts/run-fuzzers build-fuzz 1800

lint: build-deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	JOBS=$(JOBS) scripts/lint build

bench: build
	@scripts/install-deps bench
	scripts/run-benches build

sslopt: build
	tests/sslopt/run.sh

clean:
	rm -rf build build-asan build-fuzz
