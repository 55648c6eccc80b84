#!/usr/bin/env bash
# Measures charterhub's access-log and extraction figures beside same-run baselines and writes BENCHMARKS.md.
# Loopback only; every load loop is bounded in time and count.
#   Benchmarks/run.sh                       # full size: a 1,000,000-entry log, 16 connections, 5 s phases,
#                                           # a 1,000,000-record extraction
#   LOG_SIZE=100000 SECONDS_PER_PHASE=2 EXTRACTION_RECORDS=100000 Benchmarks/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites
LOG_SIZE=${LOG_SIZE:-1000000}
CONNECTIONS=${CONNECTIONS:-16}
SECONDS_PER_PHASE=${SECONDS_PER_PHASE:-5}
EXTRACTION_RECORDS=${EXTRACTION_RECORDS:-1000000}
swift build -c release --product charterhub-bench
command=".build/release/charterhub-bench --log-size $LOG_SIZE --connections $CONNECTIONS --seconds $SECONDS_PER_PHASE --extraction-records $EXTRACTION_RECORDS"
table=$($command)
{
  echo "# Benchmarks"
  echo
  echo "Measured by \`Benchmarks/run.sh\` ($command), release build,"
  echo "on $(nproc) cores / $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)."
  echo "Each figure stands beside a baseline measured in the same run; the machine is shared, so ratios"
  echo "are the figures to compare across runs."
  echo
  echo "$table"
} > BENCHMARKS.md.new
# Keep the analysis written under the generated table, if any.
if [ -f BENCHMARKS.md ] && grep -q '^## Analysis' BENCHMARKS.md; then
  { echo; sed -n '/^## Analysis/,$p' BENCHMARKS.md; } >> BENCHMARKS.md.new
fi
mv BENCHMARKS.md.new BENCHMARKS.md
cat BENCHMARKS.md
