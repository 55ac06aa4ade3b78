// The run monitor: hash routes (#/overview, #/runs, #/run/ID, #/orchestrators, #/schedules, ...) over plain DOM.
import { signOut, whenSignedOut } from "./api.js";
import { h } from "./dom.js";
import { editOrchestratorView, newOrchestratorView, orchestratorsView, orchestratorView } from "./orchestrators.js";
import { overviewView } from "./overview.js";
import { runView } from "./run.js";
import { runsView } from "./runs.js";
import { schedulesView, scheduleView } from "./schedules.js";
import { claimsOf, session } from "./session.js";

const main = document.getElementById("main")!;
const nav = document.getElementById("nav")!;
const who = document.getElementById("who")!;
let current = new AbortController();

function signInView(reason: string | null): void {
    nav.hidden = true;
    who.replaceChildren();
    const token = h("textarea", { id: "token", required: true, autocomplete: "off", spellcheck: "false", "aria-describedby": "token-help" });
    const problem = h("div", { role: "alert", id: "signin-problem" }, reason ? h("div", { class: "problem" }, reason) : null);
    const form = h("form", { class: "signin", onsubmit: (event: Event) => {
        event.preventDefault();
        const value = token.value.trim();
        const claims = claimsOf(value);
        if (!claims) {
            problem.replaceChildren(h("div", { class: "problem" }, "That is not a JWT (three dot-separated parts)."));
            return;
        }
        if (claims.exp !== undefined && claims.exp * 1000 <= Date.now()) {
            problem.replaceChildren(h("div", { class: "problem" }, "That token has expired."));
            return;
        }
        session.signIn(value, claims.ns.find(n => n !== "*") ?? "");
        location.hash = "#/runs";
        route();
    } },
        h("label", { for: "token" }, "Bearer token"), token,
        h("p", { id: "token-help", class: "muted" },
            "In Development: ", h("code", {}, "dotnet run --project src/Api -- token --user you --namespace your_namespace"),
            ". Otherwise ask your identity provider for a token with this service's audience. The token stays in this tab's session storage and is sent only to this service."),
        h("button", { type: "submit", class: "primary", id: "sign-in" }, "Sign in"));
    main.replaceChildren(h("h1", {}, "Sign in"), problem, form);
    token.focus();
}

function header(): void {
    const claims = claimsOf(session.token ?? "");
    nav.hidden = false;
    for (const link of nav.querySelectorAll("a")) {
        const section = link.getAttribute("href")!.slice(2);
        if (location.hash.slice(2).startsWith(section.replace(/s$/, ""))) {
            link.setAttribute("aria-current", "page");
        } else {
            link.removeAttribute("aria-current");
        }
    }
    const namespaces = claims?.ns ?? [];
    const picker = namespaces.includes("*")
        ? h("input", { id: "ns", value: session.namespace, placeholder: "namespace" })
        : h("select", { id: "ns" }, namespaces.map(n => h("option", { value: n, selected: n === session.namespace }, n)));
    picker.addEventListener("change", () => { session.namespace = picker.value.trim(); route(); });
    who.replaceChildren(h("span", {}, claims?.sub ?? ""), h("label", { for: "ns", class: "muted" }, "Namespace"), picker,
        h("button", { type: "button", id: "sign-out", onclick: () => { signOut("You signed out."); } }, "Sign out"));
}

function route(): void {
    current.abort();
    current = new AbortController();
    if (!session.token || session.expired()) {
        signInView(session.takeSignOutReason() ?? (session.token ? "Your token has expired. Paste a new one." : null));
        return;
    }
    header();
    const path = location.hash.replace(/^#\/?/, "");
    const [section, id, action] = path.split("/");
    if (section === "run" && id) {
        runView(main, decodeURIComponent(id), current.signal);
    } else if (section === "orchestrators" && id === "new") {
        newOrchestratorView(main);
    } else if (section === "orchestrators") {
        orchestratorsView(main, current.signal);
    } else if (section === "orchestrator" && id && action === "edit") {
        editOrchestratorView(main, decodeURIComponent(id), current.signal);
    } else if (section === "orchestrator" && id) {
        orchestratorView(main, decodeURIComponent(id), current.signal);
    } else if (section === "schedules") {
        schedulesView(main, current.signal);
    } else if (section === "schedule" && id) {
        scheduleView(main, decodeURIComponent(id), current.signal);
    } else if (section === "overview") {
        void overviewView(main, current.signal);
    } else {
        runsView(main, current.signal);
    }
}

whenSignedOut(() => route());
window.addEventListener("hashchange", route);
route();
