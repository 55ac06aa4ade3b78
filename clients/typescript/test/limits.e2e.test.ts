// The queued-run limit (429) through the generated client: a service of its own with a limit of 2
// and no worker, so runs stay QUEUED.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { bearerTransport, OrchestratorsClient, OrchRunsClient, type OrchestratorDto } from "../src/index.js";
import { createTestOrchestrator, expectApiError } from "./support/helpers.js";
import { mintToken, startService, type Service } from "./support/service.js";

const ns = "proj_limit";

let service: Service | undefined;
let runs: OrchRunsClient;
let orchestrator: OrchestratorDto;

before(async () => {
    service = await startService({ Runs__MaxQueuedPerNamespace: "2", Worker__Enabled: "false" });
    const transport = bearerTransport(() => mintToken("carol", ["*"]));
    runs = new OrchRunsClient(service.baseUrl, transport);
    orchestrator = await createTestOrchestrator(new OrchestratorsClient(service.baseUrl, transport), ns, "Limited", 1, 0);
}, { timeout: 11 * 60_000 });

after(async () => {
    await service?.stop();
});

test("429: a third QUEUED run is refused with Retry-After; a cancel frees a place", async () => {
    const first = await runs.create(ns, { orchestratorId: orchestrator.id, _actualparams: [] });
    const second = await runs.create(ns, { orchestratorId: orchestrator.id, _actualparams: [] });
    assert.deepEqual([first._status, second._status], ["QUEUED", "QUEUED"]);

    const { error } = await expectApiError(runs.create(ns, { orchestratorId: orchestrator.id, _actualparams: [] }), 429, "queue-limit");
    assert.match(String(error.headers["retry-after"]), /^\d+$/);
    assert.equal((await runs.list(ns, undefined, undefined, "QUEUED"))._total, 2);

    const [cancelled] = await runs.cancel(first.id, ns, { id: first.id });
    assert.equal(cancelled?._status, "REQUEST_CANCEL");
    const third = await runs.create(ns, { orchestratorId: orchestrator.id, _actualparams: [] });
    assert.equal(third._status, "QUEUED");
    await expectApiError(runs.create(ns, { orchestratorId: orchestrator.id, _actualparams: [] }), 429, "queue-limit");
});

test("the limit is per namespace", async () => {
    const elsewhere = await createTestOrchestrator(new OrchestratorsClient(service!.baseUrl, bearerTransport(mintToken("carol", ["proj_other"]))), "proj_other", "Other", 1, 0);
    const run = await runs.create("proj_other", { orchestratorId: elsewhere.id, _actualparams: [] });
    assert.equal(run._status, "QUEUED");
});
