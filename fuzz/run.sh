#!/usr/bin/env bash
# Builds rumbo's fuzz targets on STABLE Rust and runs each one for a while.
#
#   fuzz/run.sh                 every target, 20 s each
#   fuzz/run.sh 600             every target, 10 minutes each
#   fuzz/run.sh 60 load export  only these targets
#   FUZZ_JOBS=2 fuzz/run.sh 300 two fuzzing processes per target
#   FUZZ_KEEP_GOING=1 fuzz/run.sh 300
#                               go on after a crash (libFuzzer's fork mode),
#                               to collect every finding of a long run
#
# No nightly and no cargo-fuzz: libfuzzer-sys compiles libFuzzer itself (it
# needs a C++ compiler: g++ or clang++), and the code is instrumented with
# LLVM's SanitizerCoverage through -Cpasses=sancov-module, which stable rustc
# accepts. `--target <host>` keeps those flags away from build scripts and
# proc macros (they would not link without libFuzzer). Without AddressSanitizer
# (nightly only), which safe Rust needs little.
#
# Seeds: fuzz/seeds/<target>, plus tests/nasty and assets/examples for
# `load` and `chunk`. What a run finds goes to fuzz/corpus/<target> (kept between runs,
# not committed) and crashes to fuzz/artifacts/<target>/. The script exits
# non-zero when a target crashed, naming the input that did it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
seconds="${1:-20}"
shift || true
all=(load chunk import_csv export numbers journal)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi
jobs="${FUZZ_JOBS:-1}"

have_cxx() { command -v c++ >/dev/null 2>&1 || command -v clang++ >/dev/null 2>&1; }
if ! have_cxx && command -v apt-get >/dev/null 2>&1; then
    echo "fuzz/run.sh: no C++ compiler for libFuzzer: installing g++" >&2
    (apt-get update -qq && apt-get install -y -qq g++) >/dev/null 2>&1 || true
fi
if ! have_cxx; then
    echo "fuzz/run.sh: libFuzzer needs a C++ compiler (e.g. apt-get install g++)" >&2
    exit 2
fi
host="$(rustc -vV | sed -n 's/^host: //p')"

export RUSTFLAGS="-Cpasses=sancov-module \
-Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
-Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares \
--cfg fuzzing -Cdebug-assertions -Coverflow-checks"
start=$(date +%s)
cargo build --release \
    --manifest-path "$here/Cargo.toml" --target-dir "$here/target" \
    --target "$host" --bins
echo "fuzz/run.sh: built in $(( $(date +%s) - start )) s"

failed=()
summary=()
for t in "${targets[@]}"; do
    bin="$here/target/$host/release/$t"
    [ -x "$bin" ] || { echo "fuzz/run.sh: no target named $t" >&2; exit 2; }
    corpus="$here/corpus/$t"
    artifacts="$here/artifacts/$t"
    mkdir -p "$corpus" "$artifacts"
    seeds=("$here/seeds/$t")
    case "$t" in
        load) seeds+=("$root/tests/nasty" "$root/assets/examples") ;;
        chunk) seeds+=("$here/seeds/load" "$root/tests/nasty" "$root/assets/examples") ;;
    esac
    log="$artifacts/last-run.log"
    echo "== $t: ${seconds} s"
    parallel=()
    if [ -n "${FUZZ_KEEP_GOING:-}" ]; then
        parallel=(-fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    elif [ "$jobs" -gt 1 ]; then
        parallel=(-jobs="$jobs" -workers="$jobs")
    fi
    touch "$artifacts/.started"
    set +e
    # In the artifacts directory: with -jobs, each job writes fuzz-N.log there.
    (cd "$artifacts" && rm -f fuzz-*.log &&
        "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
            "${parallel[@]}" -artifact_prefix="$artifacts/" -print_final_stats=1 \
            "$corpus" "${seeds[@]}" >"$log" 2>&1)
    status=$?
    set -e
    cat "$artifacts"/fuzz-*.log >>"$log" 2>/dev/null || true
    runs=$(grep -h 'stat::number_of_executed_units' "$log" | awk '{s += $2} END {print s + 0}' || true)
    if [ "${runs:-0}" = 0 ]; then
        # Fork mode prints `#RUNS: cov: …` lines instead of final stats.
        runs=$(grep -ho '^#[0-9]*' "$log" | tail -1 | tr -d '#' || true)
    fi
    cov=$(grep -ho 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
    ft=$(grep -ho 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
    new_crashes=$(find "$artifacts" -name 'crash-*' -newer "$artifacts/.started" | head -50)
    crashes=$(printf '%s' "$new_crashes" | grep -c . || true)
    line="$t: ${runs:-0} runs, cov ${cov:-?}, ft ${ft:-?}, corpus $(ls "$corpus" | wc -l), new crashes ${crashes}"
    if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
        line="$line — FAILED (see $log)"
        failed+=("$t")
        # What went wrong, once per distinct message: replay the crash inputs.
        for crash in $new_crashes; do
            "$bin" "$crash" 2>&1 |
                awk '/panicked at/ {on = 1; next} /^(stack backtrace|note:)/ {on = 0} on'
        done | cut -c1-160 | sort | uniq -c | sort -rn | head -30 >&2 || true
        grep -h "Test unit written to" "$log" >&2 || true
    fi
    echo "$line"
    summary+=("$line")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz/run.sh: crashed: ${failed[*]}" >&2
    exit 1
fi
