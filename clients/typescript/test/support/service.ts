// Starts the built OrchRun service for the end-to-end tests: a fresh SQLite file, a free port,
// self-hosted HS256 tokens; stops it again (after hook, and on process exit or a signal).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the first folder above this file holding OrchRun.sln (this file is also compiled into web/'s tests). */
function findRepoRoot(): string {
    let dir = fileURLToPath(new URL(".", import.meta.url));
    while (!existsSync(join(dir, "OrchRun.sln"))) {
        const parent = dirname(dir);
        if (parent === dir) {
            throw new Error(`No OrchRun.sln above ${fileURLToPath(import.meta.url)}`);
        }
        dir = parent;
    }
    return dir;
}

const repoRoot = findRepoRoot();
const apiProject = join(repoRoot, "src", "Api");

/** The service binary; ORCHRUN_API_DLL points elsewhere (a Release build, say). */
export const serviceDll = process.env["ORCHRUN_API_DLL"] ?? join(apiProject, "bin", "Debug", "net10.0", "OrchRunService.Api.dll");

const auth = {
    signingKey: randomBytes(32).toString("hex"),
    issuer: "orchrun-e2e",
    audience: "orchrun",
};

export interface Service {
    readonly baseUrl: string;
    /** The service's stdout and stderr so far. */
    output(): string;
    stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

function killAll(): void {
    for (const child of running) {
        child.kill("SIGKILL");
    }
}

process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
        killAll();
        process.exit(signal === "SIGINT" ? 130 : 143);
    });
}

/** Builds src/Api when its binary is missing (a fresh clone); a no-op otherwise. */
export function ensureServiceBuilt(): void {
    if (existsSync(serviceDll)) {
        return;
    }

    if (process.env["ORCHRUN_API_DLL"]) {
        throw new Error(`ORCHRUN_API_DLL names ${serviceDll}, which does not exist.`);
    }

    const build = spawnSync("dotnet", ["build", apiProject, "--nologo", "-v", "q"], { encoding: "utf8", timeout: 10 * 60_000 });
    if (build.status !== 0 || !existsSync(serviceDll)) {
        throw new Error(`dotnet build ${apiProject} failed (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
    }
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
        });
    });
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Starts `dotnet OrchRunService.Api.dll` as in production (self-hosted token configuration), on
 * a free port with a new SQLite file; `env` adds or overrides configuration (`Worker__Enabled`...).
 */
export async function startService(env: Record<string, string> = {}): Promise<Service> {
    ensureServiceBuilt();
    const dir = mkdtempSync(join(tmpdir(), "orchrun-e2e-"));
    const logFile = join(dir, "service.log");
    const logFd = openSync(logFile, "w");
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const childEnv: NodeJS.ProcessEnv = {
        ...process.env,
        ASPNETCORE_ENVIRONMENT: "Production",
        DOTNET_ENVIRONMENT: "Production",
        Auth__SigningKey: auth.signingKey,
        Auth__Issuer: auth.issuer,
        Auth__Audience: auth.audience,
        Auth__Authority: "",
        Database__Provider: "Sqlite",
        ConnectionStrings__OrchRun: `Data Source=${join(dir, "orchrun.db")}`,
        Worker__PollIntervalMs: "200",
        Worker__LogFlushIntervalMs: "100",
        Worker__ShutdownGraceSeconds: "1",
        RateLimit__PermitLimit: "100000",
        ...env,
    };
    delete childEnv["ASPNETCORE_URLS"];

    const child = spawn("dotnet", [serviceDll, "--urls", baseUrl], { env: childEnv, stdio: ["ignore", logFd, logFd] });
    closeSync(logFd);
    running.add(child);
    const exited = new Promise<void>(resolve => child.once("exit", () => resolve()));
    let hasExited = false;
    void exited.then(() => {
        hasExited = true;
        running.delete(child);
    });

    const output = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
    const stop = async () => {
        if (!hasExited) {
            child.kill("SIGTERM");
            const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
            if (timedOut) {
                child.kill("SIGKILL");
                await exited;
            }
        }

        rmSync(dir, { recursive: true, force: true });
    };

    const deadline = Date.now() + 60_000;
    for (;;) {
        if (hasExited) {
            const log = output();
            await stop();
            throw new Error(`The service exited during start-up (exit ${child.exitCode}):\n${log}`);
        }

        try {
            const response = await fetch(`${baseUrl}/health/ready`);
            if (response.ok) {
                break;
            }
        } catch {
            // not listening yet
        }

        if (Date.now() > deadline) {
            const log = output();
            await stop();
            throw new Error(`The service did not become ready within 60 s:\n${log}`);
        }

        await sleep(100);
    }

    return { baseUrl, output, stop };
}

/** An HS256 token as the service expects it: `sub` is the user, one `ns` entry per namespace ('*' for all). */
export function mintToken(user: string, namespaces: readonly string[], lifetimeSeconds = 3600): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const header = encode({ alg: "HS256", typ: "JWT" });
    const payload = encode({ sub: user, ns: namespaces, iss: auth.issuer, aud: auth.audience, iat: now, nbf: now, exp: now + lifetimeSeconds });
    const signature = createHmac("sha256", auth.signingKey).update(`${header}.${payload}`).digest("base64url");
    return `${header}.${payload}.${signature}`;
}
