// Schedules: the list with each schedule's next fire, pause/resume in place, a small create form,
// and a schedule's page with its next five fires and its history (one row per slot).
import type { ScheduleDto, ScheduleRequest } from "../../clients/typescript/src/index.js";
import { describeError, orchestratorsClient, schedulesClient } from "./api.js";
import { formatTime, h, toast } from "./dom.js";
import { session } from "./session.js";

/** The schedule's definition as a PUT body, with _enabled set: pause and resume send it back unchanged otherwise. */
function withEnabled(schedule: ScheduleDto, enabled: boolean): ScheduleRequest {
    return {
        orchestratorId: schedule.orchestratorId,
        _cron: schedule._cron,
        _timezone: schedule._timezone,
        _actualparams: schedule._actualparams.map(p => ({ sequence_type_id: p.sequence_type_id, params: p.params })),
        _enabled: enabled,
        _overlap: schedule._overlap,
        _catchup: schedule._catchup,
        _startat: schedule._startat,
        _endat: schedule._endat,
    };
}

function stateOf(schedule: ScheduleDto): HTMLElement {
    return h("span", { class: `status ${schedule._enabled ? "s-RUNNING" : "s-CANCELLED"}` }, schedule._enabled ? "ENABLED" : "PAUSED");
}

/** A pause/resume button that PUTs the toggled definition and hands the answer to onChanged. */
function toggleButton(schedule: ScheduleDto, onChanged: (updated: ScheduleDto) => void, problem: HTMLElement): HTMLButtonElement {
    const button = h("button", { type: "button", class: "toggle", "data-schedule": schedule.id }, schedule._enabled ? "Pause" : "Resume");
    button.addEventListener("click", () => {
        button.disabled = true;
        schedulesClient.update(schedule.id, session.namespace, withEnabled(schedule, !schedule._enabled)).then(updated => {
            toast(updated._enabled ? "Schedule resumed." : "Schedule paused.");
            onChanged(updated);
        }, error => {
            button.disabled = false;
            problem.replaceChildren(h("div", { class: "problem" }, describeError(error)));
        });
    });
    return button;
}

export function schedulesView(main: HTMLElement, signal: AbortSignal): void {
    const body = h("tbody");
    const problem = h("div", { role: "alert" });
    const names = new Map<string, string>();
    const orchestrator = h("select", { id: "s-orch", required: true });
    const cron = h("input", { id: "s-cron", required: true, value: "0 * * * *", spellcheck: "false" });
    const zone = h("input", { id: "s-zone", value: "UTC", spellcheck: "false" });
    const overlap = h("select", { id: "s-overlap" }, ["skip", "queue", "cancel-previous"].map(o => h("option", { value: o }, o)));
    const catchup = h("select", { id: "s-catchup" }, ["none", "last", "all"].map(c => h("option", { value: c }, c)));
    const form = h("form", { class: "filters", id: "new-schedule", onsubmit: (event: Event) => {
        event.preventDefault();
        schedulesClient.create(session.namespace, {
            orchestratorId: orchestrator.value, _cron: cron.value.trim(), _timezone: zone.value.trim() || undefined,
            _actualparams: [], _overlap: overlap.value, _catchup: catchup.value,
        }).then(created => { toast("Schedule created."); location.hash = `#/schedule/${created.id}`; },
            error => problem.replaceChildren(h("div", { class: "problem" }, describeError(error))));
    } },
        h("div", {}, h("label", { for: "s-orch" }, "Orchestrator"), orchestrator),
        h("div", {}, h("label", { for: "s-cron" }, "Cron (5 fields, or 6 with seconds first)"), cron),
        h("div", {}, h("label", { for: "s-zone" }, "Time zone (IANA)"), zone),
        h("div", {}, h("label", { for: "s-overlap" }, "Overlap"), overlap),
        h("div", {}, h("label", { for: "s-catchup" }, "Catch-up"), catchup),
        h("div", {}, h("button", { type: "submit", class: "primary", id: "create-schedule" }, "Create schedule")));

    main.replaceChildren(h("h1", {}, "Schedules"), problem,
        h("div", { class: "table-wrap" }, h("table", { id: "schedules" },
            h("thead", {}, h("tr", {}, ["State", "Orchestrator", "Cron", "Time zone", "Next fire", ""].map(t => h("th", { scope: "col" }, t)))), body)),
        h("h2", {}, "New schedule"), form);

    function row(schedule: ScheduleDto): HTMLTableRowElement {
        const tr = h("tr", { "data-schedule": schedule.id },
            h("td", {}, stateOf(schedule)),
            h("td", {}, h("a", { href: `#/schedule/${schedule.id}` }, names.get(schedule.orchestratorId) ?? schedule.orchestratorId)),
            h("td", {}, h("code", {}, schedule._cron)),
            h("td", {}, schedule._timezone),
            h("td", { class: "next-fire" }, schedule._nextfireat.length > 0 ? formatTime(schedule._nextfireat[0]) : "—"),
            h("td", {}, toggleButton(schedule, updated => tr.replaceWith(row(updated)), problem)));
        return tr;
    }

    orchestratorsClient.list(session.namespace, 1000, 0, signal)
        .then(page => {
            for (const o of page._list) {
                names.set(o.id, o._name);
            }
            orchestrator.append(...page._list.map(o => h("option", { value: o.id }, o._name)));
            return schedulesClient.list(session.namespace, 1000, 0, signal);
        })
        .then(page => { body.replaceChildren(...page._list.map(row)); },
            error => { if (!signal.aborted) problem.replaceChildren(h("div", { class: "problem" }, describeError(error))); });
}

export function scheduleView(main: HTMLElement, id: string, signal: AbortSignal): void {
    const problem = h("div", { role: "alert", id: "schedule-problem" });
    const details = h("div");
    const history = h("tbody");
    const remove = h("button", { type: "button", class: "danger", id: "delete-schedule" }, "Delete");
    main.replaceChildren(details, problem,
        h("h2", {}, "History"),
        h("div", { class: "table-wrap" }, h("table", { id: "schedule-history" },
            h("caption", { class: "muted" }, "Latest slot first"),
            h("thead", {}, h("tr", {}, ["Slot", "Outcome", "Run", "Reason", "Handled at"].map(t => h("th", { scope: "col" }, t)))), history)));
    remove.addEventListener("click", () => {
        if (!window.confirm("Delete this schedule and its history? Its runs stay.")) {
            return;
        }
        schedulesClient.delete(id, session.namespace).then(() => { toast("Schedule deleted."); location.hash = "#/schedules"; },
            error => problem.replaceChildren(h("div", { class: "problem" }, describeError(error))));
    });

    function render(schedule: ScheduleDto): void {
        details.replaceChildren(
            h("h1", {}, `Schedule `, h("span", { id: "schedule-state" }, stateOf(schedule))),
            h("p", { class: "muted" }, `${schedule.id} · created by ${schedule._createdby} at ${formatTime(schedule._createdat)}`),
            h("p", {}, h("b", {}, "Cron: "), h("code", {}, schedule._cron), ` in ${schedule._timezone} · overlap ${schedule._overlap} · catch-up ${schedule._catchup}`,
                " · orchestrator ", h("a", { href: `#/orchestrator/${schedule.orchestratorId}` }, schedule.orchestratorId)),
            h("div", { class: "actions" }, toggleButton(schedule, render, problem), remove),
            h("h2", {}, "Next fires"),
            schedule._nextfireat.length > 0
                ? h("ol", { id: "next-fires" }, schedule._nextfireat.map(t => h("li", {}, formatTime(t))))
                : h("p", { id: "next-fires", class: "muted" }, schedule._enabled ? "No more fire times (past its end)." : "None while paused."));
    }

    const outcomeClass: Record<string, string> = { fired: "s-COMPLETED", "skipped-overlap": "s-QUEUED", "refused-queue-limit": "s-FAILED", missed: "s-CANCELLED", failed: "s-FAILED" };
    let timer: number | undefined;
    async function load(): Promise<void> {
        try {
            const [schedule, page] = await Promise.all([
                schedulesClient.get(id, session.namespace, signal),
                schedulesClient.history(id, session.namespace, 100, 0, signal),
            ]);
            render(schedule);
            history.replaceChildren(...page._list.map(fire => h("tr", {},
                h("td", {}, formatTime(fire._slot)),
                h("td", {}, h("span", { class: `status ${outcomeClass[fire._outcome] ?? ""}` }, fire._outcome)),
                h("td", {}, fire.runId ? h("a", { href: `#/run/${fire.runId}` }, fire.runId) : ""),
                h("td", {}, fire._reason),
                h("td", {}, formatTime(fire._recordedat)))));
            problem.replaceChildren();
            if (schedule._enabled && !signal.aborted) {
                timer = window.setTimeout(() => void load(), 5000);
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
