// Orchestrators: list, view with steps, create (steps with JSON params, validated before sending),
// delete, and start a run with per-step params.
import type { ConnectorDto, OrchestratorDto } from "../../clients/typescript/src/index.js";
import { connectorsClient, describeError, orchestratorsClient, runsClient } from "./api.js";
import { formatTime, h, toast } from "./dom.js";
import { session } from "./session.js";

/** The connectors this service runs (GET /connector), read once per page load. */
let connectorList: Promise<ConnectorDto[]> | undefined;
function connectors(): Promise<ConnectorDto[]> {
    connectorList ??= connectorsClient.list(session.namespace).catch(error => {
        connectorList = undefined;
        throw error;
    });
    return connectorList;
}

/** A param's declaration as a person reads it: name, type, default, limits. */
function describeParameters(connector: ConnectorDto | undefined): string {
    return (connector?.parameters ?? []).map(p => {
        const limits = p.minimum !== undefined || p.maximum !== undefined ? ` ${p.minimum ?? ""}..${p.maximum ?? ""}` : "";
        return `${p.name} (${p.type}${p.required ? ", required" : ""}${p.default !== undefined ? `, default ${p.default}` : ""}${limits}): ${p.description}`;
    }).join("\n");
}

function parseObject(text: string, what: string): Record<string, unknown> {
    let value: unknown;
    try {
        value = JSON.parse(text.trim() || "{}");
    } catch (error) {
        throw new Error(`${what} is not valid JSON: ${(error as Error).message}`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new Error(`${what} must be a JSON object.`);
    }
    return value as Record<string, unknown>;
}

export function orchestratorsView(main: HTMLElement, signal: AbortSignal): void {
    const body = h("tbody");
    const problem = h("div", { role: "alert" });
    main.replaceChildren(h("h1", {}, "Orchestrators"),
        h("div", { class: "actions" }, h("a", { class: "button", href: "#/orchestrators/new", id: "new-orchestrator" }, "New orchestrator")),
        problem,
        h("div", { class: "table-wrap" }, h("table", { id: "orchestrators" },
            h("thead", {}, h("tr", {}, ["Name", "Description", "Steps", "Created at"].map(t => h("th", { scope: "col" }, t)))), body)));
    orchestratorsClient.list(session.namespace, 1000, 0, signal).then(page => {
        body.replaceChildren(...page._list.map(o => h("tr", {},
            h("td", {}, h("a", { href: `#/orchestrator/${o.id}` }, o._name)), h("td", {}, o._description),
            h("td", {}, String(o.steps.length)), h("td", {}, formatTime(o._createdat)))));
    }, error => { if (!signal.aborted) problem.replaceChildren(h("div", { class: "problem" }, describeError(error))); });
}

export function orchestratorView(main: HTMLElement, id: string, signal: AbortSignal): void {
    const problem = h("div", { role: "alert", id: "orch-problem" });
    main.replaceChildren(problem);
    Promise.all([orchestratorsClient.get(id, session.namespace, signal), connectors().catch(() => [])]).then(([o, known]) => render(o, known),
        error => { if (!signal.aborted) problem.replaceChildren(h("div", { class: "problem" }, describeError(error))); });

    function render(o: OrchestratorDto, known: ConnectorDto[]): void {
        const steps = [...o.steps].sort((a, b) => a._sequenceno - b._sequenceno);
        const params = steps.map(step => h("textarea", { id: `run-params-${step._sequenceno}`, rows: 3 }, "{}"));
        const start = h("button", { type: "button", class: "primary", id: "start-run", onclick: () => void (async () => {
            problem.replaceChildren();
            try {
                const actual = steps.map((step, i) => ({ sequence_type_id: step.id, params: parseObject(params[i]!.value, `Params of step ${step._sequenceno}`) }))
                    .filter(p => Object.keys(p.params).length > 0);
                const run = await runsClient.create(session.namespace, { orchestratorId: o.id, _actualparams: actual });
                location.hash = `#/run/${run.id}`;
            } catch (error) {
                problem.replaceChildren(h("div", { class: "problem" }, `Start refused: ${describeError(error)}`));
            }
        })() }, "Start a run");
        const remove = h("button", { type: "button", class: "danger", id: "delete-orchestrator", onclick: () => {
            if (confirm(`Delete orchestrator ${o._name}?`)) {
                orchestratorsClient.delete(o.id, session.namespace).then(() => { toast("Orchestrator deleted"); location.hash = "#/orchestrators"; },
                    error => problem.replaceChildren(h("div", { class: "problem" }, `Delete refused: ${describeError(error)}`)));
            }
        } }, "Delete");
        main.replaceChildren(h("h1", {}, o._name), h("p", { class: "muted" }, `${o._description} · ${o._usertype} · created ${formatTime(o._createdat)}`),
            problem,
            h("h2", {}, "Steps and run params"),
            ...steps.map((step, i) => h("div", { class: "step-edit" },
                h("b", {}, `${step._sequenceno}. ${step._name}`), h("span", { class: "muted" }, ` connector ${known.find(c => c.id === step._compid)?.name ?? step._compid}`),
                h("pre", { class: "json" }, JSON.stringify(step._params, null, 2)),
                h("label", { for: `run-params-${step._sequenceno}` }, `Run params for step ${step._sequenceno} (JSON object, laid over the defaults)`), params[i]!)),
            h("div", { class: "actions" }, start, h("a", { class: "button", href: `#/orchestrator/${o.id}/edit`, id: "edit-orchestrator" }, "Edit"), remove));
    }
}

export function newOrchestratorView(main: HTMLElement): void {
    connectors().then(known => formView(main, known, undefined), error => {
        main.replaceChildren(h("h1", {}, "New orchestrator"), h("div", { class: "problem", role: "alert" }, `The connectors could not be read: ${describeError(error)}`));
    });
}

export function editOrchestratorView(main: HTMLElement, id: string, signal: AbortSignal): void {
    Promise.all([orchestratorsClient.get(id, session.namespace, signal), connectors()]).then(([existing, known]) => formView(main, known, existing), error => {
        if (!signal.aborted) {
            main.replaceChildren(h("h1", {}, "Edit orchestrator"), h("div", { class: "problem", role: "alert" }, describeError(error)));
        }
    });
}

/** Create (no `existing`) or edit a definition; a step keeps its id on edit, so runs still name it. */
function formView(main: HTMLElement, known: ConnectorDto[], existing: OrchestratorDto | undefined): void {
    const problem = h("div", { role: "alert", id: "orch-problem" });
    const name = h("input", { id: "o-name", required: true, value: existing?._name ?? "" });
    const description = h("input", { id: "o-description", value: existing?._description ?? "" });
    const usertype = h("input", { id: "o-usertype", value: existing?._usertype ?? "test_instant" });
    const stepList = h("div");
    let count = 0;
    const addStep = (step?: OrchestratorDto["steps"][number]) => {
        count++;
        const n = count;
        const help = h("pre", { class: "muted", id: `s-help-${n}` });
        const comp = h("select", { id: `s-comp-${n}`, class: "s-comp", "aria-describedby": `s-help-${n}` },
            known.map(c => h("option", { value: c.id, selected: step ? c.id === step._compid : c.name === "test_connector" }, c.name)));
        const showHelp = () => { help.textContent = describeParameters(known.find(c => c.id === comp.value)); };
        comp.addEventListener("change", showHelp);
        showHelp();
        const params = h("textarea", { id: `s-params-${n}`, class: "s-params", rows: 3, "aria-describedby": `s-params-error-${n}` },
            step ? JSON.stringify(step._params ?? {}, null, 1) : '{"iterations": 3, "intervalMs": 500}');
        const paramsError = h("span", { id: `s-params-error-${n}`, class: "field-error", "aria-live": "polite" });
        params.addEventListener("input", () => {
            try {
                parseObject(params.value, "Params");
                paramsError.textContent = "";
                params.removeAttribute("aria-invalid");
            } catch (error) {
                paramsError.textContent = (error as Error).message;
                params.setAttribute("aria-invalid", "true");
            }
        });
        const set = h("fieldset", { class: "step-edit", "data-step-id": step?.id }, h("legend", {}, `Step ${n}`),
            h("label", { for: `s-name-${n}` }, `Step ${n} name`), h("input", { id: `s-name-${n}`, class: "s-name", value: step?._name ?? "test_connector" }),
            h("label", { for: `s-comp-${n}` }, `Step ${n} connector`), comp, help,
            h("label", { for: `s-params-${n}` }, `Step ${n} default params (JSON object)`), params, paramsError,
            h("div", { class: "actions" }, h("button", { type: "button", onclick: () => set.remove() }, `Remove step ${n}`)));
        stepList.append(set);
    };
    if (existing) {
        [...existing.steps].sort((a, b) => a._sequenceno - b._sequenceno).forEach(step => addStep(step));
    } else {
        addStep();
    }
    const save = h("button", { type: "submit", class: "primary", id: "save-orchestrator" }, existing ? "Save" : "Create");
    const form = h("form", { class: "signin", onsubmit: (event: Event) => {
        event.preventDefault();
        problem.replaceChildren();
        void (async () => {
            try {
                const steps = [...stepList.querySelectorAll("fieldset")].map((set, i) => ({
                    id: set.getAttribute("data-step-id") ?? undefined,
                    _name: set.querySelector<HTMLInputElement>(".s-name")!.value,
                    _compid: set.querySelector<HTMLSelectElement>(".s-comp")!.value,
                    _sequenceno: i + 1,
                    _params: parseObject(set.querySelector<HTMLTextAreaElement>(".s-params")!.value, `Params of step ${i + 1}`),
                }));
                const request = { _name: name.value, _description: description.value, _usertype: usertype.value, steps };
                const saved = existing
                    ? await orchestratorsClient.update(existing.id, session.namespace, { id: existing.id, ...request })
                    : await orchestratorsClient.create(session.namespace, request);
                location.hash = `#/orchestrator/${saved.id}`;
            } catch (error) {
                problem.replaceChildren(h("div", { class: "problem" }, `${existing ? "Save" : "Create"} refused: ${describeError(error)}`));
            }
        })();
    } },
        h("label", { for: "o-name" }, "Orchestrator name"), name,
        h("label", { for: "o-description" }, "Description"), description,
        h("label", { for: "o-usertype" }, "User type"), usertype,
        stepList,
        h("div", { class: "actions" }, h("button", { type: "button", onclick: () => addStep() }, "Add step"), save));
    main.replaceChildren(h("h1", {}, existing ? `Edit ${existing._name}` : "New orchestrator"), problem, form);
}
