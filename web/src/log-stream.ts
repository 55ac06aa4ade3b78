// Follows a run's log: fetch streaming (an EventSource cannot send the Authorization header), NDJSON
// lines, and after a dropped connection a new request with fromLine = the lines already shown.
import { authorizedFetch, SignedOut } from "./api.js";

export interface LogLine {
    level: string;
    message: string;
    timestamp: string;
    end?: boolean;
}

export interface LogFollower {
    stop(): void;
}

export function followLog(runId: string, namespace: string, onLine: (line: LogLine) => void, onState: (state: string) => void): LogFollower {
    const abort = new AbortController();
    let received = 0;
    let ended = false;

    const run = async () => {
        let attempt = 0;
        while (!ended && !abort.signal.aborted) {
            try {
                const query = new URLSearchParams({ nsfilter: namespace, follow: "true" });
                if (received > 0) {
                    query.set("fromLine", String(received));
                }
                const response = await authorizedFetch(`/datasourcesvc/api/v1/orchrun/logs/${encodeURIComponent(runId)}?${query}`, {
                    headers: { Accept: "application/x-ndjson" },
                    signal: abort.signal,
                });
                if (!response.ok || !response.body) {
                    onState(`The log could not be read (${response.status}).`);
                    return;
                }
                onState("Following the log…");
                attempt = 0;
                const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
                let buffer = "";
                for (;;) {
                    const { value, done } = await reader.read();
                    if (done) {
                        break;
                    }
                    buffer += value;
                    let newline: number;
                    while ((newline = buffer.indexOf("\n")) >= 0) {
                        const text = buffer.slice(0, newline).trim();
                        buffer = buffer.slice(newline + 1);
                        if (text) {
                            const line = JSON.parse(text) as LogLine;
                            received++;
                            ended ||= line.end === true;
                            onLine(line);
                        }
                    }
                }
                if (ended) {
                    onState("The log has ended.");
                    return;
                }
            } catch (error) {
                if (abort.signal.aborted || error instanceof SignedOut) {
                    return;
                }
            }
            attempt++;
            onState(`Connection lost; reconnecting from line ${received}…`);
            await new Promise(resolve => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
        }
    };
    void run();
    return { stop: () => abort.abort() };
}
