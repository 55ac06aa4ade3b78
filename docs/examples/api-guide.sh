#!/usr/bin/env bash
# The API guide's examples (docs/api-guide.md), runnable, in order. ORCHRUN_URL (default
# http://localhost:5080), TOKEN (granting $NS), NS (default proj_demo) and METRICS_TOKEN (Metrics:BearerToken,
# when set) come from the environment.
# No pipefail: "head" closes the live-log stream on purpose.
set -eu
command -v jq >/dev/null || { echo "api-guide.sh needs jq (apt-get install jq)" >&2; exit 2; }
: "${TOKEN:?set TOKEN to a token granting $NS}"
B=${ORCHRUN_URL:-http://localhost:5080}/datasourcesvc/api/v1
NS=${NS:-proj_demo}
AUTH="Authorization: Bearer $TOKEN"

echo "== setup"
# --8<-- [start:setup]
# An orchestrator whose runs take 5 s (20 loops of 250 ms), and a run of it.
ORCH=$(curl -s -H "$AUTH" -X POST "$B/orchestrator?nsfilter=$NS" -H 'content-type: application/json' -d '{
  "_name": "Slow loop", "steps": [ { "_name": "test_connector", "_compid": "eced6368-2c1f-4186-acf0-3fa6e079e9a8",
                                     "_params": { "iterations": 20, "intervalMs": 250 } } ] }' | jq -r .id)
RUN=$(curl -s -H "$AUTH" -X POST "$B/orchrun?nsfilter=$NS" -H 'content-type: application/json' \
  -d "{\"orchestratorId\":\"$ORCH\",\"_actualparams\":[]}" | jq -r .id)
# --8<-- [end:setup]

echo "== live-logs"
# --8<-- [start:live-logs]
# Follow the run; head drops the connection after 5 lines (the server lets go of it at once).
curl -sN -H "$AUTH" "$B/orchrun/logs/$RUN?nsfilter=$NS&follow=true" -H 'Accept: application/x-ndjson' | head -n 5
# Resume after those 5 lines; this answer ends with the "end":true line.
curl -sN -H "$AUTH" "$B/orchrun/logs/$RUN?nsfilter=$NS&follow=true&fromLine=5" -H 'Accept: application/x-ndjson'
# The last 2 lines.
curl -s -H "$AUTH" "$B/orchrun/logs/$RUN?nsfilter=$NS&tail=2" -H 'Accept: application/x-ndjson'
# Server-sent events from line 28 on, as a reconnecting EventSource asks.
curl -sN -H "$AUTH" "$B/orchrun/logs/$RUN?nsfilter=$NS&follow=true" -H 'Accept: text/event-stream' -H 'Last-Event-ID: 27'
# --8<-- [end:live-logs]

echo "== rerun"
# --8<-- [start:rerun]
# Two steps; "load" fails ("iterations" is no number) after "extract" completed.
ORCH2=$(curl -s -H "$AUTH" -X POST "$B/orchestrator?nsfilter=$NS" -H 'content-type: application/json' -d '{
  "_name": "Two steps", "steps": [
    { "_name": "extract", "_compid": "eced6368-2c1f-4186-acf0-3fa6e079e9a8", "_params": { "iterations": 1, "intervalMs": 0 } },
    { "_name": "load",    "_compid": "eced6368-2c1f-4186-acf0-3fa6e079e9a8", "_params": { "iterations": "lots" } } ] }' | jq -r .id)
RUN2=$(curl -s -H "$AUTH" -X POST "$B/orchrun?nsfilter=$NS" -H 'content-type: application/json' \
  -d "{\"orchestratorId\":\"$ORCH2\",\"_actualparams\":[]}" | jq -r .id)
sleep 2; curl -s -H "$AUTH" "$B/orchrun/$RUN2?nsfilter=$NS" | jq -c '.[0] | {_status, steps: [.orchrunsteps[] | {_name, _status}]}'
# -> FAILED, extract COMPLETED, load FAILED. Rerun from the failed step:
curl -s -H "$AUTH" -X POST "$B/orchrun/$RUN2/rerun?nsfilter=$NS&fromStep=failed" \
  | jq -c '{id, _status, _rerunof, steps: [.orchrunsteps[] | {_name, _status, _statusmsg}]}'
# -> QUEUED, _rerunof = $RUN2, extract COMPLETED ("Completed in run ..."), load QUEUED
# --8<-- [end:rerun]

echo "== idempotency"
# --8<-- [start:idempotency]
KEY=create-$(date +%s%N)
for i in 1 2; do
  curl -s -H "$AUTH" -X POST "$B/orchrun?nsfilter=$NS" -H 'content-type: application/json' -H "Idempotency-Key: $KEY" \
    -d "{\"orchestratorId\":\"$ORCH\",\"_actualparams\":[]}" | jq -r .id
done                                     # the same id twice, one run
curl -s -H "$AUTH" -X POST "$B/orchrun?nsfilter=$NS" -H 'content-type: application/json' -H "Idempotency-Key: $KEY" \
  -d "{\"orchestratorId\":\"$ORCH2\",\"_actualparams\":[]}" | jq -c '{status, type}'   # 422
# --8<-- [end:idempotency]

echo "== step-policies"
# --8<-- [start:step-policies]
ORCH3=$(curl -s -H "$AUTH" -X POST "$B/orchestrator?nsfilter=$NS" -H 'content-type: application/json' -d '{
  "_name": "Impatient", "steps": [ { "_name": "slow", "_compid": "eced6368-2c1f-4186-acf0-3fa6e079e9a8",
    "_params": { "iterations": 100, "intervalMs": 100 },
    "_timeoutSeconds": 1, "_retries": 2, "_retryDelayMs": 500 } ] }' | jq -r .id)
RUN3=$(curl -s -H "$AUTH" -X POST "$B/orchrun?nsfilter=$NS" -H 'content-type: application/json' \
  -d "{\"orchestratorId\":\"$ORCH3\",\"_actualparams\":[]}" | jq -r .id)
curl -sN -H "$AUTH" "$B/orchrun/logs/$RUN3?nsfilter=$NS&follow=true" -H 'Accept: application/x-ndjson' | jq -r 'select(.level != "info") | .message'
# retry 1 of 2 after 500 ms, retry 2 of 2 after 1000 ms, then "... failed: Step timed out after 1 s."
curl -s -H "$AUTH" "$B/orchrun/$RUN3?nsfilter=$NS" | jq -c '.[0] | {_status, _result}'
# --8<-- [end:step-policies]

echo "== secrets"
# --8<-- [start:secrets]
# Store a value in the namespace: 201 the first time, 200 when replaced. No endpoint returns it.
curl -s -H "$AUTH" -X PUT "$B/secret/api-token?nsfilter=$NS" -H 'content-type: application/json' -d '{"_value": "s3cr3t-t0ken"}'
curl -s -H "$AUTH" "$B/secret?nsfilter=$NS" | jq -c '._list'
# A step refers to it as {"$secret": "<name>"}; the worker puts the value in, in memory, for the call.
ORCH4=$(curl -s -H "$AUTH" -X POST "$B/orchestrator?nsfilter=$NS" -H 'content-type: application/json' -d '{
  "_name": "Call an API", "steps": [ { "_name": "call", "_compid": "3c9a5b1e-8f2d-4a6b-9e7c-1d2f3a4b5c6d",
    "_params": { "url": "https://api.invalid/v1/items?page=2",
                 "headers": { "Authorization": { "$secret": "api-token" } } } } ] }' | jq -r .id)
RUN4=$(curl -s -H "$AUTH" -X POST "$B/orchrun?nsfilter=$NS" -H 'content-type: application/json' \
  -d "{\"orchestratorId\":\"$ORCH4\",\"_actualparams\":[]}" | jq -r .id)
curl -sN -H "$AUTH" "$B/orchrun/logs/$RUN4?nsfilter=$NS&follow=true" -H 'Accept: application/x-ndjson' | jq -r 'select(.message | startswith("HTTP")) | .message'
# HTTP GET https://api.invalid/v1/items?page=***, ...: query values are masked in every log line
curl -s -H "$AUTH" "$B/orchrun/$RUN4?nsfilter=$NS" | jq -r '.[0].orchrunsteps[0]._runparams'
# {"url":"https://api.invalid/v1/items?page=2","headers":{"Authorization":{"$secret":"api-token"}}}
curl -s -o /dev/null -w 'delete %{http_code}\n' -H "$AUTH" -X DELETE "$B/secret/api-token?nsfilter=$NS"
# --8<-- [end:secrets]

echo "== schedules"
# --8<-- [start:schedules]
# A schedule: every day at 02:30 Berlin time; the answer lists its next five fire times.
SCHED=$(curl -s -H "$AUTH" -X POST "$B/schedule?nsfilter=$NS" -H 'content-type: application/json' \
  -d "{\"orchestratorId\":\"$ORCH\",\"_cron\":\"30 2 * * *\",\"_timezone\":\"Europe/Berlin\",\"_actualparams\":[]}")
echo "$SCHED" | jq -c '{_cron, _timezone, _overlap, _catchup, _nextfireat}'
SCHED_ID=$(echo "$SCHED" | jq -r .id)
# Pause it: PUT the definition with "_enabled": false. No fire times, no fires, until it is enabled again.
curl -s -H "$AUTH" -X PUT "$B/schedule/$SCHED_ID?nsfilter=$NS" -H 'content-type: application/json' \
  -d "{\"orchestratorId\":\"$ORCH\",\"_cron\":\"30 2 * * *\",\"_timezone\":\"Europe/Berlin\",\"_actualparams\":[],\"_enabled\":false}" \
  | jq -c '{_enabled, _nextfireat}'
# Its history, latest slot first: one entry per slot with its outcome.
curl -s -H "$AUTH" "$B/schedule/$SCHED_ID/history?nsfilter=$NS" | jq -c '{_total, _list}'
curl -s -o /dev/null -w 'schedule delete %{http_code}\n' -H "$AUTH" -X DELETE "$B/schedule/$SCHED_ID?nsfilter=$NS"
# --8<-- [end:schedules]

echo "== metrics"
# --8<-- [start:metrics]
# Outside Development /metrics needs Metrics:BearerToken (or Metrics:Port); send the scrape token:
curl -s -H "Authorization: Bearer ${METRICS_TOKEN:-}" "${ORCHRUN_URL:-http://localhost:5080}/metrics" | grep -E '^(# TYPE )?orchrun_'
# --8<-- [end:metrics]
