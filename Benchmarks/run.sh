#!/usr/bin/env bash
# Measures charterhub beside same-run baselines and writes BENCHMARKS.md. One command:
#   Benchmarks/run.sh                       # full size: 300 dealers / 60 groups / 1,000,000 vehicles / 3,000,000
#                                           # records, 32 connections, 5 s phases × 3 rounds, 1M-entry log, 1M extraction
#   VEHICLES=100000 LOG_SIZE=100000 EXTRACTION_RECORDS=100000 SECONDS_PER_PHASE=2 Benchmarks/run.sh   # quick look
# Loopback only; every load is bounded in time and in request count. Installs nginx when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "installing: nginx (the mutual-TLS baseline)" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx
fi
VEHICLES=${VEHICLES:-1000000}
CONNECTIONS=${CONNECTIONS:-32}
SECONDS_PER_PHASE=${SECONDS_PER_PHASE:-5}
ROUNDS=${ROUNDS:-3}
INGEST_RECORDS=${INGEST_RECORDS:-100000}
LOG_SIZE=${LOG_SIZE:-1000000}
EXTRACTION_RECORDS=${EXTRACTION_RECORDS:-1000000}

# Micro-benchmarks (ordo-one/benchmark, own package): p50 wall clock and allocations per operation.
micro_command="(cd Benchmarks/Micro && swift package --disable-sandbox benchmark --format markdown --no-progress)"
micro=$(eval "$micro_command" 2>/dev/null | awk '
  /^### / { name = substr($0, 5) }
  /^\| Malloc \(total\)/ { split($0, c, "|"); mallocs = c[5]; gsub(/ /, "", mallocs) }
  /^\| Time \(wall clock\)/ { split($0, c, "|"); p50 = c[5]; gsub(/ /, "", p50); print "| " name " | " p50 " | " mallocs " |" }')

swift build -c release --product charterhub-bench
command=".build/release/charterhub-bench --vehicles $VEHICLES --connections $CONNECTIONS --seconds $SECONDS_PER_PHASE --rounds $ROUNDS --ingest-records $INGEST_RECORDS --log-size $LOG_SIZE --extraction-records $EXTRACTION_RECORDS"
table=$($command)
{
  echo "# Benchmarks"
  echo
  echo "Measured by \`Benchmarks/run.sh\` on $(nproc) cores / $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD),"
  echo "release builds. Each figure stands beside a baseline measured in the same run; the machine is shared, so"
  echo "ratios are the figures to compare across runs."
  echo
  echo "## End to end"
  echo
  echo "\`$command\`. Load phases, ingest, append, offline verification and extraction are medians of $ROUNDS rounds, each"
  echo "interleaved with its baseline or across targets; latencies come from"
  echo "HdrHistogram. Every request of a load phase must answer 200, and the history phases must have logged one entry a request"
  echo "with the log on and none with it off, or the run fails. \"CPU µs/req\" is the benchmark"
  echo "process's CPU time over the phase's requests (load generator included; nginx runs in its own process)."
  echo
  echo "$table"
  echo
  echo "## Micro-benchmarks"
  echo
  echo "\`$micro_command\`: p50 of the samples ordo-one/benchmark takes (up to 2 s each); a sample times 1,000 operations"
  echo "(the policy compile: one), so figures are per operation without the framework's own per-sample work."
  echo
  echo "| operation | p50 wall clock (ns) | mallocs |"
  echo "|---|---|---|"
  echo "$micro"
} > BENCHMARKS.md.new
# Keep the analysis written under the generated tables, if any.
if [ -f BENCHMARKS.md ] && grep -q '^## Analysis' BENCHMARKS.md; then
  { echo; sed -n '/^## Analysis/,$p' BENCHMARKS.md; } >> BENCHMARKS.md.new
fi
mv BENCHMARKS.md.new BENCHMARKS.md
cat BENCHMARKS.md
