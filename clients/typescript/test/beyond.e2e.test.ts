// The features beyond the seed through the generated client only: reruns, Idempotency-Key on
// create, log tail/fromLine/follow, step timeouts and retries, and namespace secrets, against
// the built service with its worker.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bearerTransport, OrchestratorsClient, OrchRunsClient, SecretsClient, type OrchestratorDto, type OrchRunDto } from "../src/index.js";
import { createTestOrchestrator, expectApiError, testConnectorId, waitForStatus } from "./support/helpers.js";
import { mintToken, startService, type Service } from "./support/service.js";

const ns = "proj_beyond";
const finished = ["COMPLETED", "FAILED", "CANCELLED"] as const;

let service: Service | undefined;
let runs: OrchRunsClient;
let orchestrators: OrchestratorsClient;
let secrets: SecretsClient;
let quick: OrchestratorDto;

before(async () => {
    service = await startService();
    const transport = bearerTransport(mintToken("dora", [ns]));
    runs = new OrchRunsClient(service.baseUrl, transport);
    orchestrators = new OrchestratorsClient(service.baseUrl, transport);
    secrets = new SecretsClient(service.baseUrl, transport);
    quick = await createTestOrchestrator(orchestrators, ns, "Quick", 3, 20);
}, { timeout: 11 * 60_000 });

after(async () => {
    await service?.stop();
});

const linesOf = (ndjson: string) => ndjson.split("\n").filter(line => line.length > 0);

/** A run of [a quick test_connector step, a step with an out-of-range param], FAILED at its second step. */
async function failedRun(): Promise<OrchRunDto> {
    const orchestrator = await orchestrators.create(ns, {
        _name: "Half broken",
        steps: [
            { _name: "prepare", _compid: testConnectorId, _params: { iterations: 1, intervalMs: 0 } },
            { _name: "missing", _compid: testConnectorId, _params: { iterations: -1 } },
        ],
    });
    const run = await runs.create(ns, { orchestratorId: orchestrator.id, _actualparams: [{ sequence_type_id: orchestrator.steps[0]!.id, params: { _fileId: "cb8d42b2" } }] });
    const failed = await waitForStatus(runs, ns, run.id, finished);
    assert.equal(failed._status, "FAILED");
    assert.deepEqual(failed.orchrunsteps.map(s => s._status), ["COMPLETED", "FAILED"]);
    return failed;
}

describe("rerun", () => {
    test("fromStep=failed keeps the completed step, links the runs and runs only the rest", async () => {
        const source = await failedRun();
        assert.equal(source._rerunof, undefined, "a run that is no rerun has no _rerunof");

        const rerun = await runs.rerun(source.id, ns, "failed");
        assert.notEqual(rerun.id, source.id);
        assert.equal(rerun._rerunof, source.id);
        assert.equal(rerun._status, "QUEUED");
        assert.deepEqual(rerun.orchrunsteps.map(s => s._status), ["COMPLETED", "QUEUED"]);
        assert.equal(rerun.orchrunsteps[0]!._statusmsg, `Completed in run ${source.id}.`);
        assert.deepEqual(rerun.orchrunsteps.map(s => s._actualparams), source.orchrunsteps.map(s => s._actualparams));

        const done = await waitForStatus(runs, ns, rerun.id, finished);
        assert.equal(done._rerunof, source.id);
        const log = linesOf(await runs.getLogs(rerun.id, ns)).map(line => JSON.parse(line) as { message: string });
        assert.equal(log.filter(l => l.message.includes("Executing Step: Connector:prepare,")).length, 0);
        assert.equal(log.filter(l => l.message.includes("Executing Step: Connector:missing,")).length, 1);
    });

    test("fromStep=first queues every step again", async () => {
        const source = await failedRun();
        const rerun = await runs.rerun(source.id, ns, "first");
        assert.deepEqual(rerun.orchrunsteps.map(s => s._status), ["QUEUED", "QUEUED"]);
    });

    test("409 for a COMPLETED run, 400 for an unknown fromStep, 404 for an unknown run", async () => {
        const run = await runs.create(ns, { orchestratorId: quick.id, _actualparams: [] });
        await waitForStatus(runs, ns, run.id, ["COMPLETED"]);
        await expectApiError(runs.rerun(run.id, ns), 409, "conflict");
        const { problem } = await expectApiError(runs.rerun(run.id, ns, "last"), 400, "validation");
        assert.ok(problem.errors?.["fromStep"]);
        await expectApiError(runs.rerun("7d0c6a4e-30b3-4b54-9a4f-1a2b3c4d5e6f", ns), 404, "not-found");
    });
});

describe("idempotent create", () => {
    test("the same key and body answer one run, also for concurrent retries", async () => {
        const before = (await runs.list(ns, 1000))._total;
        const key = `e2e-${Date.now()}-${Math.random()}`;
        const body = { orchestratorId: quick.id, _actualparams: [] };

        const first = await runs.create(ns, body, key);
        const retries = await Promise.all(Array.from({ length: 10 }, () => runs.create(ns, body, key)));

        assert.deepEqual(new Set(retries.map(r => r.id)), new Set([first.id]));
        assert.equal((await runs.list(ns, 1000))._total, before + 1);
    });

    test("the same key with another body is 422; without a key every create is a run", async () => {
        const key = `e2e-${Date.now()}-${Math.random()}`;
        await runs.create(ns, { orchestratorId: quick.id, _actualparams: [] }, key);
        const other = { orchestratorId: quick.id, _actualparams: [{ sequence_type_id: quick.steps[0]!.id, params: { iterations: 1 } }] };

        const { problem } = await expectApiError(runs.create(ns, other, key), 422, "idempotency-key-reused");
        assert.match(problem.detail ?? "", /Idempotency-Key/);

        const a = await runs.create(ns, other);
        const b = await runs.create(ns, other);
        assert.notEqual(a.id, b.id);
    });

    test("a key of more than 200 characters is 400", async () => {
        const { problem } = await expectApiError(runs.create(ns, { orchestratorId: quick.id, _actualparams: [] }, "k".repeat(201)), 400, "validation");
        assert.ok(problem.errors?.["Idempotency-Key"]);
    });
});

describe("log options", () => {
    test("tail answers the last lines, fromLine the lines after it, follow waits for the end line", async () => {
        const run = await runs.create(ns, { orchestratorId: quick.id, _actualparams: [] });

        // follow=true answers once the run's log has ended: the whole log, up to the end line.
        const followed = linesOf(await runs.getLogs(run.id, ns, true));
        assert.equal(JSON.parse(followed.at(-1)!).end, true);
        assert.equal((await runs.get(run.id, ns))[0]!._status, "COMPLETED");

        const full = linesOf(await runs.getLogs(run.id, ns));
        assert.deepEqual(followed, full);
        assert.deepEqual(linesOf(await runs.getLogs(run.id, ns, undefined, undefined, 2)), full.slice(-2));
        assert.deepEqual(linesOf(await runs.getLogs(run.id, ns, undefined, undefined, 100_000)), full);
        assert.deepEqual(linesOf(await runs.getLogs(run.id, ns, undefined, 3)), full.slice(3));
        assert.deepEqual(linesOf(await runs.getLogs(run.id, ns, undefined, full.length)), []);
    });

    test("400 for tail=0 and for tail together with fromLine", async () => {
        const run = await runs.create(ns, { orchestratorId: quick.id, _actualparams: [] });
        const { problem } = await expectApiError(runs.getLogs(run.id, ns, undefined, undefined, 0), 400, "validation");
        assert.ok(problem.errors?.["tail"]);
        await expectApiError(runs.getLogs(run.id, ns, undefined, 1, 1), 400, "validation");
    });
});

describe("step timeouts and retries", () => {
    test("a step past its time limit fails saying so, after the retry it was allowed", async () => {
        const orchestrator = await orchestrators.create(ns, {
            _name: "Too slow",
            steps: [{ _name: "slow", _compid: testConnectorId, _params: { iterations: 100, intervalMs: 100 }, _timeoutSeconds: 1, _retries: 1, _retryDelayMs: 50 }],
        });
        assert.equal(orchestrator.steps[0]!._timeoutSeconds, 1);
        assert.equal(orchestrator.steps[0]!._retries, 1);
        assert.equal(orchestrator.steps[0]!._retryDelayMs, 50);
        assert.equal(quick.steps[0]!._timeoutSeconds, undefined, "no limit unless given");

        const run = await runs.create(ns, { orchestratorId: orchestrator.id, _actualparams: [] });
        const failed = await waitForStatus(runs, ns, run.id, finished, 30_000);

        assert.equal(failed._status, "FAILED");
        assert.equal(failed.orchrunsteps[0]!._statusmsg, "Step timed out after 1 s.");
        const messages = linesOf(await runs.getLogs(run.id, ns)).map(line => (JSON.parse(line) as { message: string }).message);
        assert.ok(messages.some(m => m.includes("retry 1 of 1 after 50 ms")), messages.join("\n"));
    });

    test("400 for a time limit out of range", async () => {
        const { problem } = await expectApiError(
            orchestrators.create(ns, { _name: "Bad", steps: [{ _name: "x", _compid: testConnectorId, _timeoutSeconds: 0 }] }),
            400,
            "validation");
        assert.ok(problem.errors?.["steps[0]._timeoutSeconds"]);
    });
});

describe("secrets", () => {
    test("put creates then replaces, get and list show no value, a step's params keep the reference, delete removes it", async () => {
        const value = `client-secret-${Date.now()}`;
        const created = await secrets.put("client-token", ns, { _value: value });
        assert.equal(created._name, "client-token");
        assert.equal(created._updatedat, undefined);
        const replaced = await secrets.put("client-token", ns, { _value: value + "-2" });
        assert.equal(replaced._createdat, created._createdat);
        assert.ok(replaced._updatedat, "replacing sets _updatedat");
        const shown = JSON.stringify([await secrets.get("client-token", ns), await secrets.list(ns)]);
        assert.ok(shown.includes("client-token") && !shown.includes(value), shown);

        const orchestrator = await orchestrators.create(ns, {
            _name: "Uses a secret",
            steps: [{ _name: "step", _compid: testConnectorId, _params: { iterations: 0, token: { $secret: "client-token" } } }],
        });
        const run = await runs.create(ns, { orchestratorId: orchestrator.id, _actualparams: [] });
        assert.equal(run.orchrunsteps[0]!._runparams, '{"iterations":0,"token":{"$secret":"client-token"}}');

        await secrets.delete("client-token", ns);
        await expectApiError(secrets.get("client-token", ns), 404, "not-found");
    });

    test("400 for a malformed reference and for a name out of the rule", async () => {
        const { problem } = await expectApiError(
            orchestrators.create(ns, { _name: "Bad ref", steps: [{ _name: "x", _compid: testConnectorId, _params: { token: { $secret: 42 } } }] }),
            400,
            "validation");
        assert.ok(problem.errors?.["steps[0]._params"]);
        const named = await expectApiError(secrets.put("no spaces", ns, { _value: "v" }), 400, "validation");
        assert.ok(named.problem.errors?.["name"]);
    });
});
