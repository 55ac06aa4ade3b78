// The generated clients, bound to this page's own origin with the session's token. A 401 signs
// the user out with the reason and shows the sign-in again.
import { ConnectorsClient, OrchestratorsClient, OrchRunApiException, OrchRunsClient, problemOf, SchedulesClient } from "../../clients/typescript/src/index.js";
import { session } from "./session.js";

export class SignedOut extends Error {}

let onSignedOut: (reason: string) => void = () => {};

export function whenSignedOut(handler: (reason: string) => void): void {
    onSignedOut = handler;
}

export function signOut(reason: string): void {
    session.signOut(reason);
    onSignedOut(reason);
}

/** Every request: same origin only, bearer token from the session, 401 ends the session. */
export async function authorizedFetch(url: RequestInfo, init?: RequestInit): Promise<Response> {
    const target = new URL(typeof url === "string" ? url : url.url, location.origin);
    if (target.origin !== location.origin) {
        throw new Error(`Refusing to send the token to ${target.origin}`);
    }
    const token = session.token;
    if (!token) {
        throw new SignedOut("Not signed in");
    }
    if (session.expired()) {
        signOut("Your token has expired. Paste a new one.");
        throw new SignedOut("expired");
    }
    const headers = new Headers(init?.headers);
    headers.set("Authorization", `Bearer ${token}`);
    const response = await fetch(target, { ...init, headers, credentials: "omit", referrerPolicy: "no-referrer" });
    if (response.status === 401) {
        const why = response.headers.get("WWW-Authenticate") ?? "";
        signOut(/expired/i.test(why) ? "Your token has expired. Paste a new one." : "The service did not accept your token (401). Paste a valid one.");
        throw new SignedOut("401");
    }
    return response;
}

const transport = { fetch: authorizedFetch };
export const runsClient = new OrchRunsClient(location.origin, transport);
export const orchestratorsClient = new OrchestratorsClient(location.origin, transport);
export const connectorsClient = new ConnectorsClient(location.origin, transport);
export const schedulesClient = new SchedulesClient(location.origin, transport);

/** A refusal as a person reads it: status, title, detail, field errors and Retry-After. */
export function describeError(error: unknown): string {
    if (error instanceof SignedOut) {
        return "Signed out.";
    }
    const problem = problemOf(error);
    if (error instanceof OrchRunApiException) {
        const parts = [`${error.status} ${problem?.title ?? ""}`.trim()];
        if (problem?.detail && problem.detail !== problem.title) {
            parts.push(problem.detail);
        }
        for (const [field, messages] of Object.entries(problem?.errors ?? {})) {
            parts.push(`${field}: ${messages.join(" ")}`);
        }
        const retryAfter = error.headers?.["retry-after"] as string | undefined;
        if (retryAfter) {
            parts.push(`Retry after ${retryAfter} s.`);
        }
        return parts.join(" — ");
    }
    return error instanceof Error ? error.message : String(error);
}
