#!/usr/bin/env bash
# OrchRun benchmarks (docs/benchmarks.md). Not part of .ci/run.
#   bench/run.sh            all figures (about 20 minutes on 2 cores, with figures 6 and 7)
#   bench/run.sh --quick    the same figures, shorter samples (about 6 minutes)
#   bench/run.sh --smoke    tiny sizes: checks the harness, writes bench/results/smoke.json only
#   bench/run.sh --schedules  only figure 7, schedule fire lag (1,000 schedules due in one second; about 3 minutes)
#   bench/run.sh --postgres [--quick|--smoke]  (into bench/results/postgres.json)
#                           only figure 6, PostgreSQL beside SQLite (the full run includes it); docs not rewritten
#   bench/run.sh --compare reads|writes --variant a= --variant b=KEY=VALUE ...
#                           variants of the service side by side, in alternating rounds (Scenarios/Compare.cs)
#   bench/run.sh --compare writes --baseline REF --variant current=
#                           the same, with commit REF built beside the working tree as the variant "baseline"
#   bench/run.sh --report   regenerate docs/benchmarks.md and its plots from bench/results/latest.json
# Needs: the .NET SDK, wrk and fonts (apt-get install -y wrk fonts-dejavu-core), 2 cores for pinning;
# PostgreSQL (Debian's postgresql) for figure 6: a private cluster is started for the run, as by
# ./build.sh test, unless ORCHRUN_TEST_POSTGRES names a server; without it figure 6 is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v wrk >/dev/null || ! fc-list 2>/dev/null | grep -qi dejavu; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk fonts-dejavu-core >/dev/null
  else
    echo "bench: wrk and fonts-dejavu-core are needed (apt-get install -y wrk fonts-dejavu-core)" >&2
  fi
fi

# The service is measured as released: Release builds of the service (through the bench host) and of the Hangfire peer.
dotnet build bench/Runner/OrchRunService.Bench.csproj -c Release --nologo -v q -clp:NoSummary
dotnet build bench/Hangfire/OrchRunService.Bench.Hangfire.csproj -c Release --nologo -v q -clp:NoSummary

runner=bench/Runner/bin/Release/net10.0/OrchRunService.Bench.dll
if [ "${1:-}" = "--report" ]; then
  exec dotnet "$runner" report "${@:2}"
fi
verb=run
if [ "${1:-}" = "--compare" ]; then
  verb=compare
  shift
  # --baseline REF: that commit's bench host, built in bench/results/baseline.tmp, runs as the variant "baseline".
  args=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "--baseline" ]; then
      base=bench/results/baseline.tmp
      rm -rf "$base" && mkdir -p "$base"
      git archive "$2" | tar -x -C "$base"
      dotnet build "$base/bench/Runner/OrchRunService.Bench.csproj" -c Release --nologo -v q -clp:NoSummary
      args+=(--variant "baseline=BENCH_DLL=$PWD/$base/bench/Runner/bin/Release/net10.0/OrchRunService.Bench.dll")
      shift 2
    else
      args+=("$1")
      shift
    fi
  done
  set -- "${args[@]}"
fi

# Figure 6: a private PostgreSQL cluster (throwaway: trust, fsync off) on a free loopback port.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ "$verb" = run ] && [ -z "${ORCHRUN_TEST_POSTGRES:-}" ] && [ -z "$pg_bin" ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
pg_dir=""
if [ "$verb" = run ] && [ -z "${ORCHRUN_TEST_POSTGRES:-}" ] && [ -n "$pg_bin" ]; then
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  pg_dir=$(mktemp -d -t orchrun-bench-pg-XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres --no-sync -E UTF8 >/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w start \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off" >/dev/null
  trap 'as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null; rm -rf "$pg_dir"' EXIT
  export ORCHRUN_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
fi

# The bench's own clients run on the load core; the service and the Hangfire peer on the other.
status=0
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  taskset -c 1 dotnet "$runner" "$verb" "$@" || status=$?
else
  dotnet "$runner" "$verb" "$@" || status=$?
fi
exit "$status"
