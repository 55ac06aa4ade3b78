#!/usr/bin/env pwsh
<#
.SYNOPSIS
  OrchRun build script. Targets: build, test, run, client, screenshots, sqlserver-script, clean.
.EXAMPLE
  ./build.sh test        # from bash: restores the local tools, then runs this script
  dotnet pwsh ./build.ps1 build
#>
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'run', 'client', 'screenshots', 'sqlserver-script', 'clean')]
    [string] $Target = 'build',
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$solution = Join-Path $root 'OrchRun.sln'

function Invoke-Step([string] $name, [scriptblock] $action) {
    Write-Host "==> $name" -ForegroundColor Cyan
    & $action
    if ($LASTEXITCODE -ne 0) { throw "$name failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Step 'dotnet tool restore' { dotnet tool restore --tool-manifest (Join-Path $root '.config/dotnet-tools.json') }
    Invoke-Step 'dotnet build' { dotnet build $solution -c $Configuration --nologo }
}

# Sums the counters of every TRX file the test run wrote (one per test project).
function Write-TestSummary([string] $resultsDir, [int] $extraPassed = 0, [int] $extraFailed = 0) {
    $passed = $extraPassed; $failed = $extraFailed
    foreach ($trx in Get-ChildItem -Path $resultsDir -Filter '*.trx' -ErrorAction SilentlyContinue) {
        [xml] $xml = Get-Content $trx.FullName -Raw
        $counters = $xml.TestRun.ResultSummary.Counters
        $passed += [int] $counters.passed
        $failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    }
    return @{ Passed = $passed; Failed = $failed }
}

# The browser tests drive Debian's Chromium; Playwright's own browser download cannot work here.
function Install-Chromium {
    if (Test-Path '/usr/bin/chromium') { return }
    Write-Host '==> installing chromium (apt-get)' -ForegroundColor Cyan
    & apt-get update | Out-Host
    & apt-get install -y chromium | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "apt-get install chromium failed with exit code $LASTEXITCODE" }
}

# web/: npm ci, the asset drift check and the browser tests (node --test, TAP); returns the counts.
function Invoke-WebTests([hashtable] $environment = @{}) {
    $result = @{ Passed = 0; Failed = 0; Exit = 0 }
    $webDir = Join-Path $root 'web'
    if (-not (Test-Path (Join-Path $webDir 'package.json'))) { return $result }
    Install-Chromium
    Push-Location $webDir
    try {
        # Out-Host: only the counts are this function's output.
        Invoke-Step 'npm ci (web)' { npm ci --no-audit --no-fund | Out-Host }
        foreach ($name in $environment.Keys) { Set-Item "env:$name" $environment[$name] }
        & npm test 2>&1 | Tee-Object -Variable lines | Out-Host
        $result.Exit = $LASTEXITCODE
        foreach ($line in $lines) {
            if ("$line" -match '^# pass (\d+)') { $result.Passed = [int] $Matches[1] }
            if ("$line" -match '^# fail (\d+)') { $result.Failed = [int] $Matches[1] }
        }
        if ($result.Exit -ne 0 -and $result.Failed -eq 0) { $result.Failed = 1 }
    }
    finally {
        foreach ($name in $environment.Keys) { Remove-Item "env:$name" -ErrorAction SilentlyContinue }
        Pop-Location
    }
    return $result
}

function Test-Root { return (& id -u) -eq '0' }

# The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<major>/bin), or $null.
function Find-PostgresBin {
    $bins = @(Get-ChildItem '/usr/lib/postgresql/*/bin/initdb' -ErrorAction SilentlyContinue |
        Sort-Object { [int] $_.Directory.Parent.Name } | ForEach-Object { $_.DirectoryName })
    if ($bins.Count -eq 0) { return $null }
    return $bins[-1]
}

function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { return $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# Runs a PostgreSQL program; as root through the postgres user, which PostgreSQL requires.
function Invoke-Postgres([string] $program, [string[]] $arguments) {
    if (Test-Root) { & runuser -u postgres -- $program @arguments | Out-Host }
    else { & $program @arguments | Out-Host }
    if ($LASTEXITCODE -ne 0) { throw "$program failed with exit code $LASTEXITCODE" }
}

# Starts a private PostgreSQL cluster for the tests (data under artifacts/postgres, a free
# loopback port) and returns what Stop-TestPostgres needs, or $null when there is none: the
# tests then skip their PostgreSQL fixtures with the reason (fail them when CI=true).
# ORCHRUN_TEST_POSTGRES already set means a server is given: it is used as it is.
function Start-TestPostgres {
    if ($env:ORCHRUN_TEST_POSTGRES) {
        Write-Host '==> PostgreSQL: using ORCHRUN_TEST_POSTGRES as given' -ForegroundColor Cyan
        return $null
    }
    $bin = Find-PostgresBin
    if (-not $bin -and (Test-Root)) {
        Write-Host '==> installing postgresql (apt-get)' -ForegroundColor Cyan
        & apt-get update | Out-Host
        & apt-get install -y postgresql | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "apt-get install postgresql failed with exit code $LASTEXITCODE" }
        $bin = Find-PostgresBin
    }
    if (-not $bin) {
        Write-Host '==> PostgreSQL is not installed and this is not root: the PostgreSQL tests are skipped' -ForegroundColor Yellow
        return $null
    }

    $dir = Join-Path $root 'artifacts/postgres'
    if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
    New-Item -ItemType Directory -Force $dir | Out-Null
    if (Test-Root) {
        & chown postgres $dir
        # The postgres user must reach the folder; a clone under a private home cannot be reached.
        & runuser -u postgres -- test -w $dir
        if ($LASTEXITCODE -ne 0) {
            $dir = (& mktemp -d -t orchrun-postgres-XXXXXX).Trim()
            & chown postgres $dir
            Write-Host "==> PostgreSQL: the postgres user cannot write under $root; using $dir" -ForegroundColor Yellow
        }
    }
    $data = Join-Path $dir 'data'
    $port = Get-FreePort
    Write-Host "==> PostgreSQL: private cluster in $dir on 127.0.0.1:$port" -ForegroundColor Cyan
    Invoke-Postgres (Join-Path $bin 'initdb') @('-D', $data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8')
    # Throwaway data: no fsync; room for the fixtures' pools and three service processes.
    $options = "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    Invoke-Postgres (Join-Path $bin 'pg_ctl') @('-D', $data, '-l', (Join-Path $dir 'postgres.log'), '-w', 'start', '-o', $options)
    $env:ORCHRUN_TEST_POSTGRES = "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    return @{ Bin = $bin; Data = $data }
}

function Stop-TestPostgres($cluster) {
    if (-not $cluster) { return }
    Write-Host '==> PostgreSQL: stopping the private cluster' -ForegroundColor Cyan
    Invoke-Postgres (Join-Path $cluster.Bin 'pg_ctl') @('-D', $cluster.Data, '-m', 'immediate', '-w', 'stop')
    Remove-Item env:ORCHRUN_TEST_POSTGRES -ErrorAction SilentlyContinue
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $root 'TestResults'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    # Every test, the reliability suite at CI size; tests/Api.ReliabilityTests/run-heavy.sh sizes it up.
    # The provider-parameterised fixtures run on SQLite and on a private PostgreSQL cluster.
    $postgres = Start-TestPostgres
    try {
        dotnet test $solution -c $Configuration --no-build --nologo
        $dotnetExit = $LASTEXITCODE
    }
    finally { Stop-TestPostgres $postgres }

    $clientPassed = 0; $clientFailed = 0; $clientExit = 0
    $clientDir = Join-Path $root 'clients/typescript'
    if (Test-Path (Join-Path $clientDir 'package.json')) {
        Push-Location $clientDir
        try {
            Invoke-Step 'npm ci' { npm ci --no-audit --no-fund }
            $output = & npm test 2>&1 | Tee-Object -Variable lines
            $clientExit = $LASTEXITCODE
            foreach ($line in $lines) {
                if ("$line" -match '^# pass (\d+)') { $clientPassed = [int] $Matches[1] }
                if ("$line" -match '^# fail (\d+)') { $clientFailed = [int] $Matches[1] }
            }
        }
        finally { Pop-Location }
    }

    $web = Invoke-WebTests
    $summary = Write-TestSummary $results ($clientPassed + $web.Passed) ($clientFailed + $web.Failed)
    Write-Host "$($summary.Passed) passed, $($summary.Failed) failed"
    if ($dotnetExit -ne 0 -or $clientExit -ne 0 -or $web.Exit -ne 0 -or $summary.Failed -gt 0 -or $summary.Passed -eq 0) { exit 1 }
}

switch ($Target) {
    'build' { Invoke-Build }
    'test' { Invoke-Test }
    'run' {
        Invoke-Step 'dotnet tool restore' { dotnet tool restore }
        dotnet run --project (Join-Path $root 'src/Api') --urls 'http://127.0.0.1:5080'
    }
    'client' {
        Invoke-Build
        Invoke-Step 'nswag' { Push-Location $root; try { dotnet nswag run nswag.json } finally { Pop-Location } }
    }
    'screenshots' {
        # Regenerates docs/images/runs-list.png and run-log.png from a browser test run.
        Invoke-Build
        $web = Invoke-WebTests @{ ORCHRUN_DOC_IMAGES = '1' }
        Write-Host "$($web.Passed) passed, $($web.Failed) failed"
        if ($web.Exit -ne 0) { exit 1 }
    }
    'sqlserver-script' {
        Invoke-Build
        $out = Join-Path $root 'artifacts/sqlserver-migrations.sql'
        New-Item -ItemType Directory -Force (Split-Path $out) | Out-Null
        Invoke-Step 'dotnet ef migrations script' {
            dotnet ef migrations script --idempotent --no-build --context SqlServerOrchRunDbContext `
                --project (Join-Path $root 'src/Infrastructure') --startup-project (Join-Path $root 'src/Api') --output $out
        }
        Write-Host "SQL Server migration script: $out"
    }
    'clean' {
        Invoke-Step 'dotnet clean' { dotnet clean $solution --nologo }
        foreach ($dir in 'TestResults', 'artifacts') { $p = Join-Path $root $dir; if (Test-Path $p) { Remove-Item $p -Recurse -Force } }
    }
}
