#!/usr/bin/env bash
# Heavy reliability runs behind the CI subset: the same tests, sized up through the environment.
#
#   tests/Api.ReliabilityTests/run-heavy.sh            # everything: 100k fuzz cases, 60 s soak, 10 kill -9 cycles
#   tests/Api.ReliabilityTests/run-heavy.sh fuzz       # one part: fuzz | authorization | concurrency | faults | soak
#   SKIP_BUILD=1 ORCHRUN_FUZZ_CASES=20000 tests/Api.ReliabilityTests/run-heavy.sh fuzz
#
# Loopback only, bounded in time; every service process a test starts is killed in its teardown.
# Figures (one JSON object per property) go to TestResults/reliability/heavy-figures.jsonl and are
# printed at the end; docs/reliability.md quotes them.
set -euo pipefail
cd "$(dirname "$0")/../.."

configuration=${CONFIGURATION:-Debug}
part=${1:-all}
case "$part" in
  all) filter="" ;;
  fuzz) filter="Category=Fuzz" ;;
  authorization) filter="Category=Authorization" ;;
  concurrency) filter="Category=Concurrency" ;;
  faults) filter="Category=Faults" ;;
  soak) filter="Category=Soak" ;;
  *) echo "unknown part '$part' (all | fuzz | authorization | concurrency | faults | soak)" >&2; exit 2 ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export ORCHRUN_FUZZ_CASES=${ORCHRUN_FUZZ_CASES:-100000}
export ORCHRUN_SOAK_SECONDS=${ORCHRUN_SOAK_SECONDS:-60}
export ORCHRUN_SOAK_CLIENTS=${ORCHRUN_SOAK_CLIENTS:-16}
export ORCHRUN_KILL_CYCLES=${ORCHRUN_KILL_CYCLES:-10}
export ORCHRUN_LOCK_HOLDS=${ORCHRUN_LOCK_HOLDS:-4,10}
export ORCHRUN_PARALLEL_CREATES=${ORCHRUN_PARALLEL_CREATES:-1000}
export ORCHRUN_FIGURES=${ORCHRUN_FIGURES:-$PWD/TestResults/reliability/heavy-figures.jsonl}
mkdir -p "$(dirname "$ORCHRUN_FIGURES")"
rm -f "$ORCHRUN_FIGURES"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  dotnet build OrchRun.sln -c "$configuration" --nologo -v quiet
fi

echo "==> reliability ($part): fuzz=$ORCHRUN_FUZZ_CASES cases, soak=${ORCHRUN_SOAK_SECONDS}s x $ORCHRUN_SOAK_CLIENTS clients, kill -9 cycles=$ORCHRUN_KILL_CYCLES, parallel creates=$ORCHRUN_PARALLEL_CREATES"
status=0
dotnet test tests/Api.ReliabilityTests -c "$configuration" --no-build --nologo \
  ${filter:+--filter "$filter"} \
  --results-directory TestResults/reliability-heavy \
  --logger "trx;LogFileName=reliability-heavy.trx" --logger "console;verbosity=normal" || status=$?

echo "==> figures ($ORCHRUN_FIGURES)"
cat "$ORCHRUN_FIGURES" 2>/dev/null || echo "(none recorded)"
exit "$status"
