// The run monitor in headless Debian Chromium (playwright-core, no browser download) against the
// built service started as a process: a fresh SQLite file, a free port, self-signed HS256 tokens.
// Every test saves a screenshot under TestResults/browser/; with ORCHRUN_DOC_IMAGES set the README's
// two images are written to docs/images/ as well.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, afterEach, before, test } from "node:test";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { mintToken, startService, type Service } from "../../clients/typescript/test/support/service.js";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const shotsDir = join(repoRoot, "TestResults", "browser");
const docImages = process.env["ORCHRUN_DOC_IMAGES"] ? join(repoRoot, "docs", "images") : undefined;
const chromiumPath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const ns = "proj_web";
const testConnectorId = "eced6368-2c1f-4186-acf0-3fa6e079e9a8";

let service: Service | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let token: string;

before(async () => {
    mkdirSync(shotsDir, { recursive: true });
    // Serve the assets just built from web/, not the copy beside a possibly older binary.
    // A one-second minimum interval lets the schedules test watch a seconds cron fire.
    service = await startService({
        RunMonitor__AssetsPath: join(repoRoot, "src", "Api", "wwwroot", "monitor"),
        Schedules__MinIntervalSeconds: "1",
        Schedules__ScanIntervalMs: "200",
    });
    token = mintToken("alice", [ns, "proj_other"]);
    // launch() (not launchPersistentContext) gives Chromium a fresh temporary profile every run.
    browser = await chromium.launch({
        executablePath: chromiumPath,
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"],
    });
}, { timeout: 10 * 60_000 });

after(async () => {
    await browser?.close();
    await service?.stop();
});

afterEach(async () => {
    await context?.close();
    context = undefined;
});

async function newPage(width = 1280, height = 800): Promise<Page> {
    context = await browser!.newContext({ viewport: { width, height }, baseURL: service!.baseUrl });
    const page = await context.newPage();
    page.on("dialog", dialog => void dialog.accept());
    return page;
}

async function signIn(page: Page, withToken = token): Promise<void> {
    await page.goto("/", { waitUntil: "domcontentloaded" });
    await page.getByLabel("Bearer token").fill(withToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#runs").waitFor();
}

async function shot(page: Page, name: string, docName?: string): Promise<void> {
    await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: false });
    if (docImages && docName) {
        mkdirSync(docImages, { recursive: true });
        await page.screenshot({ path: join(docImages, docName) });
    }
}

async function api(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${service!.baseUrl}/datasourcesvc/api/v1/${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function orchestrator(name: string, params: object, namespace = ns): Promise<{ id: string }> {
    const created = await api("POST", `orchestrator?nsfilter=${namespace}`, {
        _name: name, _description: name, _usertype: "test_instant",
        steps: [{ _name: "test_connector", _compid: testConnectorId, _params: params }],
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return created.body;
}

async function startRun(orchestratorId: string, namespace = ns): Promise<string> {
    const run = await api("POST", `orchrun?nsfilter=${namespace}`, { orchestratorId, _actualparams: [] });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    return run.body.id;
}

test("a browser at / is sent to the page, which serves strict security headers; API clients still get 401", async () => {
    const page = await newPage();
    const response = await page.goto("/");
    assert.ok(page.url().endsWith("/monitor/"), page.url());
    const headers = response!.headers();
    assert.match(headers["content-security-policy"] ?? "", /script-src 'self'; .*frame-ancestors 'none'/);
    assert.equal(headers["x-frame-options"], "DENY");
    assert.equal(headers["referrer-policy"], "no-referrer");
    const apiAnswer = await fetch(`${service!.baseUrl}/`, { headers: { Accept: "application/json" } });
    assert.equal(apiAnswer.status, 401);
    await page.getByLabel("Bearer token").waitFor();
    await shot(page, "sign-in");
});

test("sign in, create an orchestrator, start a run, follow its log live to COMPLETED", async () => {
    const page = await newPage();
    await signIn(page);
    assert.equal(await page.evaluate(() => localStorage.length), 0, "nothing in localStorage");
    assert.ok(!page.url().includes(token.slice(0, 20)), "the token is not in the URL");
    await page.getByRole("link", { name: "Orchestrators" }).click();
    await page.getByRole("link", { name: "New orchestrator" }).click();
    await page.getByLabel("Orchestrator name").fill("Web quick");
    await page.getByLabel("Description").fill("Four loops of 700 ms");
    await page.getByLabel("Step 1 default params (JSON object)").fill('{"iterations": 4, "intervalMs": 700}');
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { name: "Web quick" }).waitFor();
    await page.getByRole("button", { name: "Start a run" }).click();
    await page.locator("#log").waitFor();

    // Lines arrive while the run is still RUNNING: the log is live, not read at the end.
    await page.locator("#log .l-info", { hasText: "Dummy loop in progress" }).first().waitFor({ timeout: 20_000 });
    assert.equal(await page.locator("#log-end").count(), 0, "the end is not marked while the run executes");
    assert.match(await page.locator("#run-status").innerText(), /RUNNING|QUEUED/);
    await shot(page, "run-log-live", "run-log.png");
    await page.locator("#log-end").waitFor({ timeout: 20_000 });
    await page.locator("#run-status", { hasText: "COMPLETED" }).waitFor({ timeout: 10_000 });
    assert.ok(await page.locator("#log > div").count() >= 5);
    // The step's bar spans its start to its end on the run's time axis, and says how long it took.
    await page.locator("#timeline", { hasText: "COMPLETED" }).waitFor();
    const bar = await page.locator("#timeline .tl-bar").first().boundingBox();
    const track = await page.locator("#timeline .tl-track").first().boundingBox();
    assert.ok(bar && track && bar.width > track.width / 4, `the bar (${bar?.width}) covers the step's ~2.1 s of the run's span (${track?.width})`);
    assert.match(await page.locator("#timeline").innerText(), /\d+\.\d s/);
    await shot(page, "run-completed");

    await page.getByRole("link", { name: "Runs" }).click();
    await page.locator("#runs tbody tr", { hasText: "Web quick" }).first().waitFor();
    assert.match(await page.locator("#runs-total").innerText(), /of \d+/);
    await shot(page, "runs-list-first");
});

test("cancel a long run: confirmation, then CANCELLED", async () => {
    const long = await orchestrator("Web long", { iterations: 1000, intervalMs: 100 });
    const id = await startRun(long.id);
    const page = await newPage();
    await signIn(page);
    await page.goto(`/monitor/#/run/${id}`);
    await page.locator("#run-status", { hasText: "RUNNING" }).waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page.locator("#run-status", { hasText: "CANCELLED" }).waitFor({ timeout: 20_000 });
    await shot(page, "run-cancelled");
});

test("rerun a failed run from the failed step, then delete it", async () => {
    const failing = await orchestrator("Web failing", { iterations: -1, intervalMs: 0 });
    const id = await startRun(failing.id);
    const page = await newPage();
    await signIn(page);
    await page.goto(`/monitor/#/run/${id}`);
    await page.locator("#run-status", { hasText: "FAILED" }).waitFor({ timeout: 20_000 });
    await page.getByText("_statusmsg: ").first().waitFor();
    await page.getByRole("button", { name: "Rerun from failed step" }).click();
    await page.getByText("rerun of").waitFor();
    const rerunId = decodeURIComponent(page.url().split("#/run/")[1] ?? "");
    assert.notEqual(rerunId, id);
    await page.locator("#run-status", { hasText: "FAILED" }).waitFor({ timeout: 20_000 });
    await shot(page, "run-rerun");

    await page.getByRole("button", { name: "Delete" }).click();
    await page.locator("#runs").waitFor();
    assert.equal((await api("GET", `orchrun/${rerunId}?nsfilter=${ns}`)).status, 404);
});

test("a refused action shows the service's problem detail", async () => {
    const quick = await orchestrator("Web done", { iterations: 0, intervalMs: 0 });
    const id = await startRun(quick.id);
    const page = await newPage();
    await signIn(page);
    await page.goto(`/monitor/#/run/${id}`);
    await page.locator("#run-status", { hasText: "COMPLETED" }).waitFor({ timeout: 20_000 });
    // The button is disabled for a finished run; a second tab's stale page would still send it.
    await page.evaluate(() => { (document.getElementById("cancel") as HTMLButtonElement).disabled = false; });
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page.locator("#run-problem .problem", { hasText: "409" }).waitFor();
    await shot(page, "problem-409");
});

test("a namespace outside the token's claims is refused", async () => {
    const page = await newPage();
    const narrow = mintToken("bob", [ns]);
    await signIn(page, narrow);
    const options = await page.locator("#ns option").allInnerTexts();
    assert.deepEqual(options, [ns]);
    await page.evaluate(() => sessionStorage.setItem("orchrun.ns", "proj_other"));
    await page.reload();
    await page.locator(".problem", { hasText: "403" }).waitFor();
    await shot(page, "foreign-namespace");
});

test("a wrong token brings the sign-in back with the reason", async () => {
    const page = await newPage();
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const body = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ sub: "mallory", ns: [ns], exp: Math.floor(Date.now() / 1000) + 600 })}`;
    const forged = `${body}.${createHmac("sha256", "not-the-key").update(body).digest("base64url")}`;
    await page.goto("/monitor/");
    await page.getByLabel("Bearer token").fill(forged);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#signin-problem .problem", { hasText: "401" }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem("orchrun.token")), null);
    await shot(page, "wrong-token");
});

test("narrow screen: the runs list and keyboard navigation work", async () => {
    const page = await newPage(390, 800);
    await page.goto("/monitor/");
    await page.getByLabel("Bearer token").fill(token);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.locator("#runs").waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 400, `no horizontal scrolling of the page (scrollWidth ${width})`);
    await shot(page, "narrow-runs");
});

test("the runs list shows every run of the namespace with its status, and filters by orchestrator", async () => {
    const page = await newPage();
    await signIn(page);
    await page.locator("#runs tbody tr", { hasText: "CANCELLED" }).first().waitFor();
    const total = Number((await page.locator("#runs-total").innerText()).split(" of ")[1]);
    assert.ok(total >= 4, `runs of the earlier tests are listed (total ${total})`);
    await shot(page, "runs-list", "runs-list.png");

    await page.getByLabel("Orchestrator").selectOption({ label: "Web long" });
    await page.locator("#runs-total", { hasText: "1–1 of 1" }).waitFor();
    assert.deepEqual(await page.locator("#runs tbody tr td:nth-child(2)").allInnerTexts(), ["Web long"]);
});

test("the overview counts runs per status and charts the last hours", async () => {
    const page = await newPage();
    await signIn(page);
    await page.getByRole("link", { name: "Overview" }).click();
    await page.locator("#counts .count").first().waitFor();
    const counts = await page.locator("#counts .count").allInnerTexts();
    assert.equal(counts.length, 6);
    assert.ok(counts.some(c => /^[1-9]\d*\s+COMPLETED$/.test(c.trim())), counts.join(" | "));
    assert.ok(await page.locator("#chart svg rect.o-COMPLETED").count() >= 1);
    assert.ok(await page.locator("#chart svg circle.duration").count() >= 1);
    await shot(page, "overview");
});

test("edit an orchestrator: invalid params JSON is flagged, a step is added, the name changes", async () => {
    const created = await orchestrator("Web edit me", { iterations: 1, intervalMs: 0 });
    const page = await newPage();
    await signIn(page);
    await page.goto(`/monitor/#/orchestrator/${created.id}`);
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel("Orchestrator name").fill("Web edited");
    await page.getByLabel("Step 1 default params (JSON object)").fill('{"iterations": 2,');
    await page.locator("#s-params-error-1", { hasText: "not valid JSON" }).waitFor();
    await page.getByLabel("Step 1 default params (JSON object)").fill('{"iterations": 2, "intervalMs": 0}');
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Step 2 name").fill("second");
    await shot(page, "orchestrator-edit");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Web edited" }).waitFor();
    const stored = (await api("GET", `orchestrator/${created.id}?nsfilter=${ns}`)).body;
    assert.equal(stored._name, "Web edited");
    assert.deepEqual(stored.steps.map((s: { _name: string }) => s._name), ["test_connector", "second"]);
    assert.deepEqual(stored.steps[0]._params, { iterations: 2, intervalMs: 0 });
});

test("schedules: create one that fires every second, watch its history fill, pause and resume it", async () => {
    const created = await orchestrator("Web scheduled", { iterations: 0, intervalMs: 0 });
    const page = await newPage();
    await signIn(page);
    await page.getByRole("link", { name: "Schedules" }).click();
    await page.locator("#schedules").waitFor();
    await page.locator("#s-orch").selectOption(created.id);
    await page.getByLabel("Cron (5 fields, or 6 with seconds first)").fill("* * * * * *");
    await page.getByLabel("Overlap").selectOption("queue");
    await page.getByRole("button", { name: "Create schedule" }).click();
    await page.locator("#next-fires li").nth(4).waitFor();
    await page.locator("#schedule-history tbody tr", { hasText: "fired" }).first().waitFor({ timeout: 20_000 });
    const runLink = page.locator("#schedule-history tbody tr a").first();
    assert.match((await runLink.textContent()) ?? "", /^[0-9a-f-]{36}$/);
    await shot(page, "schedule");

    await page.getByRole("button", { name: "Pause" }).click();
    await page.locator("#schedule-state", { hasText: "PAUSED" }).waitFor();
    await page.locator("#next-fires", { hasText: "None while paused." }).waitFor();
    const id = page.url().split("/").pop()!;
    assert.equal((await api("GET", `schedule/${id}?nsfilter=${ns}`)).body._enabled, false);

    await page.getByRole("link", { name: "Schedules" }).click();
    const row = page.locator(`#schedules tr[data-schedule="${id}"]`);
    await row.getByRole("button", { name: "Resume" }).click();
    await page.locator(`#schedules tr[data-schedule="${id}"]`, { hasText: "ENABLED" }).waitFor();
    await api("DELETE", `schedule/${id}?nsfilter=${ns}`);
});
