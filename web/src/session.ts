// The signed-in token and namespace. Kept in sessionStorage only (gone when the tab closes), never
// in a URL, a cookie or a log; sent only to this page's own origin (see api.ts).
const tokenKey = "orchrun.token";
const nsKey = "orchrun.ns";
const reasonKey = "orchrun.signout";

export interface TokenClaims {
    sub: string;
    ns: string[];
    exp: number | undefined;
}

/** Reads the JWT payload (not verified here: the service verifies every request). */
export function claimsOf(token: string): TokenClaims | undefined {
    const parts = token.split(".");
    if (parts.length !== 3 || !parts[1]) {
        return undefined;
    }
    try {
        const json = atob(parts[1].replace(/-/g, "+").replace(/_/g, "/"));
        const payload = JSON.parse(json) as Record<string, unknown>;
        const ns = payload["ns"];
        return {
            sub: typeof payload["sub"] === "string" ? payload["sub"] : "",
            ns: Array.isArray(ns) ? ns.filter((n): n is string => typeof n === "string") : typeof ns === "string" ? [ns] : [],
            exp: typeof payload["exp"] === "number" ? payload["exp"] : undefined,
        };
    } catch {
        return undefined;
    }
}

export const session = {
    get token(): string | null {
        return sessionStorage.getItem(tokenKey);
    },
    get namespace(): string {
        return sessionStorage.getItem(nsKey) ?? "";
    },
    set namespace(value: string) {
        sessionStorage.setItem(nsKey, value);
    },
    signIn(token: string, namespace: string): void {
        sessionStorage.setItem(tokenKey, token);
        sessionStorage.setItem(nsKey, namespace);
        sessionStorage.removeItem(reasonKey);
    },
    signOut(reason: string): void {
        sessionStorage.removeItem(tokenKey);
        sessionStorage.setItem(reasonKey, reason);
    },
    takeSignOutReason(): string | null {
        const reason = sessionStorage.getItem(reasonKey);
        sessionStorage.removeItem(reasonKey);
        return reason;
    },
    expired(): boolean {
        const claims = this.token ? claimsOf(this.token) : undefined;
        return claims?.exp !== undefined && claims.exp * 1000 <= Date.now();
    },
};
