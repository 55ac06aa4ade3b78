import assert from "node:assert/strict";
import {
    OrchRunApiException,
    problemOf,
    type IOrchestratorsClient,
    type IOrchRunsClient,
    type OrchestratorDto,
    type OrchRunDto,
    type OrchRunStatus,
    type ProblemDetails,
    type ValidationProblemDetails,
} from "../../src/index.js";

export const testConnectorId = "eced6368-2c1f-4186-acf0-3fa6e079e9a8";

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** An orchestrator with one test_connector step of `iterations` loops of `intervalMs`. */
export function createTestOrchestrator(client: IOrchestratorsClient, ns: string, name: string, iterations: number, intervalMs: number): Promise<OrchestratorDto> {
    return client.create(ns, {
        _name: name,
        _description: `${name}: ${iterations} x ${intervalMs} ms`,
        _usertype: "test_instant",
        steps: [{ _name: "test_connector", _compid: testConnectorId, _params: { iterations, intervalMs } }],
    });
}

/** Reads the run (an array of one) until its status is one of `statuses`. */
export async function waitForStatus(client: IOrchRunsClient, ns: string, id: string, statuses: readonly OrchRunStatus[], timeoutMs = 15_000): Promise<OrchRunDto> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const answer = await client.get(id, ns);
        assert.equal(answer.length, 1, "GET /orchrun/{id} answers an array of one run");
        const run = answer[0]!;
        if (statuses.includes(run._status)) {
            return run;
        }

        if (Date.now() > deadline) {
            assert.fail(`run ${id} is ${run._status} after ${timeoutMs} ms, expected ${statuses.join(" or ")}`);
        }

        await sleep(100);
    }
}

/**
 * Awaits a call that must fail with the service's answer `status`: the error is an
 * OrchRunApiException carrying the status, the headers and the problem+json body.
 */
export async function expectApiError(call: Promise<unknown>, status: number, type: string): Promise<{ error: OrchRunApiException; problem: ProblemDetails & Partial<ValidationProblemDetails> }> {
    let caught: unknown;
    try {
        await call;
    } catch (error) {
        caught = error;
    }

    assert.ok(caught instanceof OrchRunApiException, `expected an OrchRunApiException, got ${String(caught)}`);
    assert.ok(OrchRunApiException.isOrchRunApiException(caught));
    assert.equal(caught.status, status, `status of ${caught.response}`);
    const problem = problemOf(caught);
    assert.ok(problem, `a problem body: ${caught.response}`);
    assert.equal(problem.status, status);
    assert.equal(problem.type, `urn:orchrun:problem:${type}`);
    assert.ok(typeof problem.detail === "string" && problem.detail.length > 0, "a human detail");
    assert.match(String(caught.headers["content-type"]), /^application\/problem\+json/);
    return { error: caught, problem };
}
