#!/usr/bin/env bash
# Restores the local .NET tools (PowerShell among them), then runs build.ps1 with the given target.
# Usage: ./build.sh [build|test|run|client|screenshots|sqlserver-script|clean]
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore >/dev/null
exec dotnet pwsh -NoLogo -NoProfile -File ./build.ps1 "$@"
