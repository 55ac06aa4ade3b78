// The package's entry point: the generated clients and types (src/orchrun-client.ts, do not edit
// it: run `./build.sh client` at the repository root), plus two small hand-written helpers.
export * from "./orchrun-client.js";

import { OrchRunApiException, type ProblemDetails, type ValidationProblemDetails } from "./orchrun-client.js";

/** What a generated client sends its requests through: anything with a fetch method. */
export interface HttpTransport {
    fetch(url: RequestInfo, init?: RequestInit): Promise<Response>;
}

/** A bearer token, or a function asked for one on every request (so a refreshed token is used). */
export type TokenSource = string | (() => string | Promise<string>);

/**
 * A transport that adds `Authorization: Bearer <token>` to every request and sends it with
 * `fetchImpl` (by default the global fetch, which browsers and node >= 18 have). Give it to a
 * client: `new OrchRunsClient(baseUrl, bearerTransport(() => auth.token))`.
 */
export function bearerTransport(token: TokenSource, fetchImpl: (url: RequestInfo, init?: RequestInit) => Promise<Response> = (url, init) => fetch(url, init)): HttpTransport {
    return {
        async fetch(url: RequestInfo, init?: RequestInit): Promise<Response> {
            const headers = new Headers(init?.headers);
            headers.set("Authorization", "Bearer " + (typeof token === "function" ? await token() : token));
            return fetchImpl(url, { ...init, headers });
        },
    };
}

/**
 * The problem+json body (RFC 9457) of a failed call, or undefined when the error is not an answer
 * of the service. Validation failures (400) carry `errors`: field name -> messages.
 */
export function problemOf(error: unknown): (ProblemDetails & Partial<ValidationProblemDetails>) | undefined {
    if (error instanceof OrchRunApiException && error.result !== null && typeof error.result === "object") {
        return error.result as ProblemDetails & Partial<ValidationProblemDetails>;
    }

    return undefined;
}
