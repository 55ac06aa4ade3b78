#!/usr/bin/env bash
# The README's quick start, runnable: ORCHRUN_URL (default http://localhost:5080) and TOKEN
# (a bearer token granting namespace $NS, default proj_demo) come from the environment.
set -euo pipefail
command -v jq >/dev/null || { echo "quickstart.sh needs jq (apt-get install jq)" >&2; exit 2; }
: "${TOKEN:?set TOKEN, e.g. TOKEN=\$(dotnet run --project src/Api -- token --user alice --namespace proj_demo | tail -n 1)}"
# --8<-- [start:quickstart]
B=${ORCHRUN_URL:-http://localhost:5080}/datasourcesvc/api/v1
NS=${NS:-proj_demo}
AUTH="Authorization: Bearer $TOKEN"

# 1. An orchestrator with one test_connector step (3 loops of 300 ms).
ORCH_JSON=$(curl -sf -H "$AUTH" -X POST "$B/orchestrator?nsfilter=$NS" -H 'content-type: application/json' -d '{
  "_name": "Quick start", "_description": "Quick start", "_usertype": "test_instant",
  "steps": [ { "_name": "test_connector", "_compid": "eced6368-2c1f-4186-acf0-3fa6e079e9a8",
               "_params": { "iterations": 3, "intervalMs": 300 } } ] }')
ORCH=$(jq -r .id <<<"$ORCH_JSON"); STEP=$(jq -r '.steps[0].id' <<<"$ORCH_JSON")

# 2. A run of it; sequence_type_id names the orchestrator step the params are for.
RUN=$(curl -sf -H "$AUTH" -X POST "$B/orchrun?nsfilter=$NS" -H 'content-type: application/json' -d "{
  \"orchestratorId\": \"$ORCH\",
  \"_actualparams\": [ { \"sequence_type_id\": \"$STEP\", \"params\": { \"_fileId\": \"cb8d42b2\" } } ] }" | jq -r .id)
echo "run $RUN"

# 3. Follow its log until the last line, then read its final status.
curl -sfN -H "$AUTH" "$B/orchrun/logs/$RUN?nsfilter=$NS&follow=true" -H 'Accept: application/x-ndjson' | jq -r .message
curl -sf -H "$AUTH" "$B/orchrun/$RUN?nsfilter=$NS" | jq -r '"status " + .[0]._status'

# 4. List (newest first; filters: _status, startDate, endDate; paging: _pageSize, _offset).
curl -sf -H "$AUTH" "$B/orchrun?nsfilter=$NS&_pageSize=5&_status=COMPLETED" | jq -r '"total " + (._total|tostring)'

# 5. Delete the run (204), with its steps and log.
curl -s -o /dev/null -w 'delete %{http_code}\n' -H "$AUTH" -X DELETE "$B/orchrun/$RUN?nsfilter=$NS"
# --8<-- [end:quickstart]
