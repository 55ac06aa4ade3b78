// One run: steps as a timeline, params, result, the live log, and cancel / rerun / delete.
import type { OrchRunDto } from "../../clients/typescript/src/index.js";
import { describeError, runsClient } from "./api.js";
import { formatTime, h, prettyJson, statusBadge, toast } from "./dom.js";
import { followLog } from "./log-stream.js";
import { durationOf } from "./runs.js";
import { session } from "./session.js";

const active = new Set(["QUEUED", "RUNNING", "REQUEST_CANCEL"]);

export function runView(main: HTMLElement, id: string, signal: AbortSignal): void {
    const header = h("div");
    const steps = h("div");
    const problem = h("div", { role: "alert", id: "run-problem" });
    const log = h("div", { class: "log", id: "log", tabindex: "0", role: "log", "aria-label": "Run log" });
    const logState = h("p", { class: "log-state", id: "log-state", "aria-live": "polite" });
    let follow = true;
    log.addEventListener("scroll", () => {
        follow = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    });

    const act = async (what: string, action: () => Promise<unknown>, after: (result: unknown) => void) => {
        problem.replaceChildren();
        try {
            after(await action());
        } catch (error) {
            problem.replaceChildren(h("div", { class: "problem" }, `${what} refused: ${describeError(error)}`));
        }
    };
    const cancel = h("button", { type: "button", id: "cancel", onclick: () => {
        if (confirm("Cancel this run?")) {
            void act("Cancel", () => runsClient.cancel(id, session.namespace, { id }), () => { toast("Cancel requested"); void load(); });
        }
    } }, "Cancel run");
    const rerunFailed = h("button", { type: "button", id: "rerun-failed", onclick: () =>
        void act("Rerun", () => runsClient.rerun(id, session.namespace, "failed"), r => { location.hash = `#/run/${(r as OrchRunDto).id}`; }) }, "Rerun from failed step");
    const rerunFirst = h("button", { type: "button", id: "rerun-first", onclick: () =>
        void act("Rerun", () => runsClient.rerun(id, session.namespace, "first"), r => { location.hash = `#/run/${(r as OrchRunDto).id}`; }) }, "Rerun from first step");
    const remove = h("button", { type: "button", class: "danger", id: "delete", onclick: () => {
        if (confirm("Delete this run and its log?")) {
            void act("Delete", () => runsClient.delete(id, session.namespace), () => { toast("Run deleted"); location.hash = "#/runs"; });
        }
    } }, "Delete");

    main.replaceChildren(header, h("div", { class: "actions" }, cancel, rerunFailed, rerunFirst, remove), problem, steps,
        h("h2", {}, "Log"), logState, log);

    let timer: number | undefined;
    async function load(): Promise<void> {
        window.clearTimeout(timer);
        try {
            const [run] = await runsClient.get(id, session.namespace, signal);
            if (!run) {
                return;
            }
            render(run);
            if (active.has(run._status) && !signal.aborted) {
                timer = window.setTimeout(() => void load(), 1000);
            }
        } catch (error) {
            if (!signal.aborted) {
                problem.replaceChildren(h("div", { class: "problem" }, describeError(error)));
            }
        }
    }

    function render(run: OrchRunDto): void {
        header.replaceChildren(
            h("h1", {}, `Run of ${run._name} `, h("span", { id: "run-status" }, statusBadge(run._status))),
            h("p", { class: "muted" }, `${run.id} · created by ${run._createdby} at ${formatTime(run._createdat)} · ${durationOf(run)}`,
                run._rerunof ? h("span", {}, " · rerun of ", h("a", { href: `#/run/${run._rerunof}` }, run._rerunof)) : null),
            run._result ? h("p", {}, h("b", {}, "_result: "), run._result) : "");
        cancel.disabled = !active.has(run._status) || run._status === "REQUEST_CANCEL";
        rerunFailed.disabled = run._status !== "FAILED" && run._status !== "CANCELLED";
        rerunFirst.disabled = rerunFailed.disabled;
        remove.disabled = active.has(run._status);

        const start = Number(run._createdat);
        const ordered = [...run.orchrunsteps].sort((a, b) => a._sequenceno - b._sequenceno);
        const running = active.has(run._status);
        const finishes = ordered.map(step => Number(step._finishedat ?? 0));
        const end = Math.max(running ? Date.now() : 0, Number(run._updatedat ?? run._createdat), ...finishes, start + 1);
        const span = end - start;
        steps.replaceChildren(h("h2", {}, "Steps"), h("div", { class: "timeline", id: "timeline" }, ordered.map(step => {
            // Each bar spans the step's start to its end (or to now while it runs), on the run's time axis.
            const from = step._startedat ? Number(step._startedat) : undefined;
            const to = step._finishedat ? Number(step._finishedat) : (from !== undefined && running ? Date.now() : from);
            const bar = h("div", { class: `tl-bar s-${step._status}`, title: step._status });
            bar.style.left = `${from === undefined ? 0 : ((from - start) / span) * 100}%`;
            bar.style.width = `${from === undefined || to === undefined ? 0 : Math.max(0, ((to - from) / span) * 100)}%`;
            const took = from !== undefined && to !== undefined ? ` · ${((to - from) / 1000).toFixed(1)} s` : "";
            return h("div", {},
                h("div", { class: "tl-row" }, h("span", {}, `${step._sequenceno}. ${step._name} `, statusBadge(step._status), took), h("div", { class: "tl-track", "aria-hidden": "true" }, bar)),
                step._statusmsg ? h("p", { class: "muted" }, `_statusmsg: ${step._statusmsg}`) : null,
                h("div", { class: "grid2" },
                    h("div", {}, h("b", {}, "Actual params"), h("pre", { class: "json" }, prettyJson(step._actualparams))),
                    h("div", {}, h("b", {}, "Merged params"), h("pre", { class: "json" }, prettyJson(step._runparams)))));
        })), h("p", { class: "muted" }, `Elapsed ${Math.round((end - start) / 1000)} s`));
    }

    const follower = followLog(id, session.namespace, line => {
        const text = `${line.timestamp} ${line.level.toUpperCase().padEnd(5)} ${line.message}`;
        log.append(h("div", { class: `l-${line.level}` }, text));
        if (line.end) {
            log.append(h("div", { class: "end", id: "log-end" }, "— end of log —"));
        }
        if (follow) {
            log.scrollTop = log.scrollHeight;
        }
    }, state => { logState.textContent = state; });
    signal.addEventListener("abort", () => { follower.stop(); window.clearTimeout(timer); });
    void load();
}
