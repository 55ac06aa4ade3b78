// The runs list: filters, paging with the total, and a quiet refresh while runs are active (rows are
// replaced in place, so the page neither flickers nor loses its scroll position).
import type { OrchRunDto } from "../../clients/typescript/src/index.js";
import { describeError, orchestratorsClient, runsClient } from "./api.js";
import { formatDuration, formatTime, h, statusBadge } from "./dom.js";
import { session } from "./session.js";

const pageSize = 20;
const statuses = ["", "QUEUED", "RUNNING", "REQUEST_CANCEL", "COMPLETED", "FAILED", "CANCELLED"];
const active = new Set(["QUEUED", "RUNNING", "REQUEST_CANCEL"]);

export function durationOf(run: OrchRunDto): string {
    const start = Number(run._createdat);
    const end = active.has(run._status) ? Date.now() : Number(run._updatedat ?? run._createdat);
    return formatDuration(Math.max(0, end - start));
}

export function runsView(main: HTMLElement, signal: AbortSignal): void {
    let offset = 0;
    const status = h("select", { id: "f-status" }, statuses.map(s => h("option", { value: s }, s || "any")));
    const from = h("input", { id: "f-from", type: "datetime-local" });
    const to = h("input", { id: "f-to", type: "datetime-local" });
    const orchestrator = h("select", { id: "f-orch" }, h("option", { value: "" }, "any"));
    const body = h("tbody");
    const total = h("span", { id: "runs-total" });
    const problem = h("div", { role: "alert" });
    const prev = h("button", { type: "button", onclick: () => { offset = Math.max(0, offset - pageSize); void load(); } }, "Previous");
    const next = h("button", { type: "button", onclick: () => { offset += pageSize; void load(); } }, "Next");
    const apply = () => { offset = 0; void load(); };
    for (const control of [status, orchestrator, from, to]) {
        control.addEventListener("change", apply);
    }

    main.replaceChildren(
        h("h1", {}, "Runs"),
        h("div", { class: "filters" },
            h("div", {}, h("label", { for: "f-status" }, "Status"), status),
            h("div", {}, h("label", { for: "f-orch" }, "Orchestrator"), orchestrator),
            h("div", {}, h("label", { for: "f-from" }, "Created from (UTC)"), from),
            h("div", {}, h("label", { for: "f-to" }, "Created to (UTC)"), to)),
        problem,
        h("div", { class: "table-wrap" }, h("table", { id: "runs" },
            h("caption", { class: "muted" }, "Newest first"),
            h("thead", {}, h("tr", {}, ["Status", "Orchestrator", "Created by", "Created at", "Duration"].map((t, i) => h("th", { scope: "col", class: i === 2 ? "opt" : undefined }, t)))),
            body)),
        h("div", { class: "pager" }, prev, next, total));

    void orchestratorsClient.list(session.namespace, 1000, 0, signal).then(page => {
        orchestrator.append(...page._list.map(o => h("option", { value: o.id }, o._name)));
    }, () => { /* the filter stays at "any"; the list itself shows any problem */ });

    const utc = (value: string) => (value ? new Date(`${value}:00Z`).toISOString() : undefined);
    let timer: number | undefined;
    async function load(): Promise<void> {
        window.clearTimeout(timer);
        try {
            const page = await runsClient.list(session.namespace, pageSize, offset, status.value || undefined, utc(from.value), utc(to.value), orchestrator.value || undefined, signal);
            const rows = page._list.map(run => h("tr", { "data-run": run.id },
                h("td", {}, statusBadge(run._status)),
                h("td", {}, h("a", { href: `#/run/${run.id}` }, run._name)),
                h("td", { class: "opt" }, run._createdby),
                h("td", {}, formatTime(run._createdat)),
                h("td", {}, durationOf(run))));
            body.replaceChildren(...rows);
            total.textContent = page._total === 0 ? "No runs" : `${offset + 1}–${offset + page._list.length} of ${page._total}`;
            prev.disabled = offset === 0;
            next.disabled = offset + page._list.length >= page._total;
            problem.replaceChildren();
            if (page._list.some(r => active.has(r._status)) && !signal.aborted) {
                timer = window.setTimeout(() => void load(), 2000);
            }
        } catch (error) {
            if (!signal.aborted) {
                problem.replaceChildren(h("div", { class: "problem" }, describeError(error)));
            }
        }
    }
    signal.addEventListener("abort", () => window.clearTimeout(timer));
    void load();
}
