#!/bin/sh
# Fuzzes each target in tests/fuzz with libFuzzer (clang) for FUZZ_SECONDS
# (default 60) each, starting from its committed corpus. New crashers are
# left in build-fuzz/ for a regression input to be added.
set -eu
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-60}
mkdir -p build-fuzz
flags="-g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc -Ibuild/gen"
libs="$(pkg-config --cflags $(make -s --no-print-directory print-pkgs)) $(make -s --no-print-directory print-libs)"
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    corpus="tests/fuzz/corpus/${name#fuzz_}"
    # shellcheck disable=SC2086
    clang $flags -o "build-fuzz/$name" "$t" $(ls src/*/*.c src/*/*.cc) build/gen/*.c $libs
    mkdir -p "build-fuzz/$name.corpus"
    echo "fuzzing $name for ${secs}s"
    "build-fuzz/$name" -max_total_time="$secs" -artifact_prefix="build-fuzz/$name-" \
        "build-fuzz/$name.corpus" "$corpus"
done
