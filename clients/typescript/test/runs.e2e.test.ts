// End to end through the generated client only: the built service runs as a process with a fresh
// SQLite file; every call goes through OrchRunsClient / OrchestratorsClient.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bearerTransport, OrchestratorsClient, OrchRunsClient, type OrchestratorDto, type OrchRunDto } from "../src/index.js";
import { createTestOrchestrator, expectApiError, sleep, waitForStatus } from "./support/helpers.js";
import { mintToken, startService, type Service } from "./support/service.js";

const ns = "proj_A";
const listNs = "proj_list";
const epochMs = /^\d{13}$/;

let service: Service | undefined;
let runs: OrchRunsClient;
let orchestrators: OrchestratorsClient;
let quick: OrchestratorDto;
let long: OrchestratorDto;
let completed: OrchRunDto;

before(async () => {
    service = await startService();
    const transport = bearerTransport(mintToken("alice", [ns, listNs]));
    runs = new OrchRunsClient(service.baseUrl, transport);
    orchestrators = new OrchestratorsClient(service.baseUrl, transport);
    quick = await createTestOrchestrator(orchestrators, ns, "Quick", 2, 100);
    long = await createTestOrchestrator(orchestrators, ns, "Long", 1000, 100);
}, { timeout: 11 * 60_000 });

after(async () => {
    await service?.stop();
});

describe("orchestrators", () => {
    test("create, get, update, list and delete a definition", async () => {
        const created = await createTestOrchestrator(orchestrators, ns, "Crud", 1, 0);
        assert.equal(created._name, "Crud");
        assert.deepEqual(created._namespaces, [ns]);
        assert.match(created._createdat, epochMs);
        assert.equal(created._updatedat, undefined);
        assert.equal(created.steps.length, 1);
        assert.equal(created.steps[0]!._compid, quick.steps[0]!._compid);
        assert.deepEqual(created.steps[0]!._params, { iterations: 1, intervalMs: 0 });

        assert.deepEqual(await orchestrators.get(created.id, ns), created);

        const updated = await orchestrators.update(created.id, ns, {
            id: created.id,
            _name: "Crud renamed",
            _description: created._description,
            _usertype: created._usertype,
            steps: created.steps.map(s => ({ id: s.id, _name: s._name, _compid: s._compid, _params: s._params })),
        });
        assert.equal(updated._name, "Crud renamed");
        assert.equal(updated.steps[0]!.id, created.steps[0]!.id);
        assert.match(updated._updatedat ?? "", epochMs);

        const page = await orchestrators.list(ns, 100, 0);
        assert.equal(page._total, 3);
        assert.ok(page._list.some(o => o.id === created.id && o._name === "Crud renamed"));

        await orchestrators.delete(created.id, ns);
        await expectApiError(orchestrators.get(created.id, ns), 404, "not-found");
    });
});

describe("runs", () => {
    test("a created run is QUEUED, then COMPLETED", async () => {
        const step = quick.steps[0]!;
        const run = await runs.create(ns, { orchestratorId: quick.id, _actualparams: [{ sequence_type_id: step.id, params: { intervalMs: 50, _fileId: "cb8d42b2" } }] });
        assert.equal(run._status, "QUEUED");
        assert.equal(run._orchid, quick.id);
        assert.equal(run._name, "Quick");
        assert.deepEqual(run._namespaces, [ns]);
        assert.equal(run._createdby, "alice");
        assert.match(run._createdat, epochMs);
        assert.equal(run.orchrunsteps.length, 1);
        const runStep = run.orchrunsteps[0]!;
        assert.equal(runStep._status, "QUEUED");
        assert.equal(runStep.orchstepid, step.id);
        assert.equal(runStep._orchrunid, run.id);
        assert.deepEqual(JSON.parse(runStep._actualparams), { intervalMs: 50, _fileId: "cb8d42b2" });
        assert.deepEqual(JSON.parse(runStep._runparams), { iterations: 2, intervalMs: 50, _fileId: "cb8d42b2" });

        completed = await waitForStatus(runs, ns, run.id, ["COMPLETED", "FAILED", "CANCELLED"]);
        assert.equal(completed._status, "COMPLETED");
        assert.equal(completed.orchrunsteps[0]!._status, "COMPLETED");
        assert.match(completed._updatedat ?? "", epochMs);
    });

    test("the log of a finished run is NDJSON from the orchRunId line to the end line", async () => {
        const log = await runs.getLogs(completed.id, ns);
        assert.equal(typeof log, "string");
        const lines = log.split("\n").filter(line => line.length > 0).map(line => JSON.parse(line) as Record<string, unknown>);
        assert.ok(lines.length >= 3, log);
        for (const line of lines) {
            assert.ok(["info", "warn", "error", "debug"].includes(String(line["level"])), JSON.stringify(line));
            assert.equal(typeof line["message"], "string");
            assert.match(String(line["timestamp"]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        }

        assert.equal(lines[0]!["orchRunId"], completed.id);
        assert.equal(lines.at(-1)!["end"], true);
        assert.ok(lines.some(line => String(line["message"]).includes("Dummy loop has ended")), log);
    });

    test("list pages newest first and filters by _status, startDate and endDate", async () => {
        const instant = await createTestOrchestrator(orchestrators, listNs, "Instant", 0, 0);
        const slow = await createTestOrchestrator(orchestrators, listNs, "Slow", 1000, 100);
        const created: OrchRunDto[] = [];
        for (let i = 0; i < 3; i++) {
            created.push(await runs.create(listNs, { orchestratorId: instant.id, _actualparams: [] }));
            await sleep(20);
        }

        const cancelled = await runs.create(listNs, { orchestratorId: slow.id, _actualparams: [] });
        created.push(cancelled);
        await runs.cancel(cancelled.id, listNs, { id: cancelled.id });
        for (const run of created) {
            await waitForStatus(runs, listNs, run.id, ["COMPLETED", "CANCELLED", "FAILED"]);
        }

        const newestFirst = [...created].reverse().map(r => r.id);
        const first = await runs.list(listNs, 2, 0);
        const second = await runs.list(listNs, 2, 2);
        const third = await runs.list(listNs, 2, 4);
        assert.deepEqual([first._total, first._pageSize, first._offset, first._list.length], [4, 2, 0, 2]);
        assert.deepEqual([second._total, second._offset, second._list.length], [4, 2, 2]);
        assert.equal(third._list.length, 0);
        assert.deepEqual([...first._list, ...second._list].map(r => r.id), newestFirst);
        assert.ok(first._list.every(r => r._namespaces.includes(listNs) && r.orchrunsteps.length === 1));

        const ids = async (filter: { status?: string; startDate?: string; endDate?: string }) => {
            const page = await runs.list(listNs, 100, 0, filter.status, filter.startDate, filter.endDate);
            assert.equal(page._total, page._list.length);
            return page._list.map(r => r.id).sort();
        };
        const sorted = (...runIds: string[]) => [...runIds].sort();
        const [r0, r1, r2, r3] = created.map(r => r.id) as [string, string, string, string];

        assert.deepEqual(await ids({ status: "COMPLETED" }), sorted(r0, r1, r2));
        assert.deepEqual(await ids({ status: "CANCELLED" }), [r3]);
        assert.deepEqual(await ids({ status: "COMPLETED,CANCELLED" }), sorted(r0, r1, r2, r3));
        assert.deepEqual(await ids({ status: "QUEUED" }), []);

        const createdAt1 = created[1]!._createdat;
        const createdAt1Iso = new Date(Number(createdAt1)).toISOString();
        assert.deepEqual(await ids({ startDate: createdAt1 }), sorted(r1, r2, r3));
        assert.deepEqual(await ids({ endDate: createdAt1Iso }), sorted(r0, r1));
        assert.deepEqual(await ids({ startDate: createdAt1Iso, endDate: createdAt1 }), [r1]);
        const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
        assert.deepEqual(await ids({ startDate: tomorrow }), []);
        assert.deepEqual(await ids({ status: "CANCELLED", endDate: tomorrow }), [r3]);
    });

    test("cancel turns a running run into REQUEST_CANCEL, then CANCELLED", async () => {
        const run = await runs.create(ns, { orchestratorId: long.id, _actualparams: [] });
        await waitForStatus(runs, ns, run.id, ["RUNNING"]);

        const answer = await runs.cancel(run.id, ns, { id: run.id });
        assert.equal(answer.length, 1, "PUT answers an array of one run");
        assert.equal(answer[0]!.id, run.id);
        assert.equal(answer[0]!._status, "REQUEST_CANCEL");

        const cancelled = await waitForStatus(runs, ns, run.id, ["CANCELLED", "COMPLETED", "FAILED"], 5_000);
        assert.equal(cancelled._status, "CANCELLED");
        assert.equal(cancelled.orchrunsteps[0]!._status, "CANCELLED");
        const lines = (await runs.getLogs(run.id, ns)).trimEnd().split("\n");
        assert.equal((JSON.parse(lines.at(-1)!) as { end?: boolean }).end, true);
    });

    test("delete answers 204, then the run and its log are 404", async () => {
        const run = await runs.create(ns, { orchestratorId: quick.id, _actualparams: [] });
        await waitForStatus(runs, ns, run.id, ["COMPLETED"]);
        await runs.delete(run.id, ns);
        await expectApiError(runs.get(run.id, ns), 404, "not-found");
        await expectApiError(runs.getLogs(run.id, ns), 404, "not-found");
        await expectApiError(runs.delete(run.id, ns), 404, "not-found");
    });
});

describe("errors are OrchRunApiException with the status and the problem body", () => {
    test("400: field errors of an invalid create, and of invalid list parameters", async () => {
        const { error, problem } = await expectApiError(runs.create(ns, {}), 400, "validation");
        assert.equal(error.message, "The request is not valid.");
        assert.ok(problem.errors, error.response);
        assert.deepEqual(Object.keys(problem.errors).sort(), ["_actualparams", "orchestratorId"]);
        assert.ok(problem.errors["orchestratorId"]!.length > 0);

        const unknown = await expectApiError(runs.create(ns, { orchestratorId: crypto.randomUUID(), _actualparams: [] }), 400, "validation");
        assert.ok(unknown.problem.errors?.["orchestratorId"], unknown.error.response);

        const list = await expectApiError(runs.list(ns, 0, -1), 400, "validation");
        assert.deepEqual(Object.keys(list.problem.errors ?? {}).sort(), ["_offset", "_pageSize"]);

        const dates = await expectApiError(runs.list(ns, undefined, undefined, undefined, "2024-02-02", "2024-02-01"), 400, "validation");
        assert.ok(Object.keys(dates.problem.errors ?? {}).length > 0, dates.error.response);

        const badNamespace = await expectApiError(runs.list("not a namespace!"), 400, "validation");
        assert.ok(badNamespace.problem.errors?.["nsfilter"], badNamespace.error.response);
    });

    test("404: an unknown run, and a run of another namespace", async () => {
        await expectApiError(runs.get(crypto.randomUUID(), ns), 404, "not-found");
        await expectApiError(runs.get(completed.id, listNs), 404, "not-found");
        await expectApiError(runs.cancel(completed.id, listNs, { id: completed.id }), 404, "not-found");
    });

    test("409: cancelling a finished run", async () => {
        const { error } = await expectApiError(runs.cancel(completed.id, ns, { id: completed.id }), 409, "conflict");
        assert.equal(error.message, "The request conflicts with the resource's state.");
        assert.equal((await runs.get(completed.id, ns))[0]!._status, "COMPLETED");
    });

    test("401: no token, or a token signed with another key", async () => {
        const anonymous = new OrchRunsClient(service!.baseUrl, { fetch: (url, init) => fetch(url, init) });
        const { error } = await expectApiError(anonymous.list(ns), 401, "unauthorized");
        assert.match(String(error.headers["www-authenticate"]), /^Bearer/);

        const forged = mintToken("mallory", ["*"]).replace(/\.[^.]+$/, ".AAAA");
        await expectApiError(new OrchRunsClient(service!.baseUrl, bearerTransport(forged)).list(ns), 401, "unauthorized");
    });

    test("403: a token without the namespace", async () => {
        const other = new OrchRunsClient(service!.baseUrl, bearerTransport(mintToken("bob", ["proj_B"])));
        await expectApiError(other.list(ns), 403, "forbidden");
        await expectApiError(other.get(completed.id, ns), 403, "forbidden");
        assert.equal((await other.list("proj_B"))._total, 0);
    });
});
