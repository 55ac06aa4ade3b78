// Overview: counts per status, and the last hours' runs as a hand-rolled SVG chart (bars of runs
// per half hour stacked by outcome, dots of their mean duration); see docs/decisions/006.
import type { OrchRunDto } from "../../clients/typescript/src/index.js";
import { describeError, runsClient } from "./api.js";
import { formatDuration, h } from "./dom.js";
import { session } from "./session.js";

const statuses = ["QUEUED", "RUNNING", "REQUEST_CANCEL", "COMPLETED", "FAILED", "CANCELLED"] as const;
const outcomes = ["COMPLETED", "FAILED", "CANCELLED", "ACTIVE"] as const;
const hours = 6;
const bucketMs = 30 * 60_000;
const svgNs = "http://www.w3.org/2000/svg";

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
    const element = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attrs)) {
        element.setAttribute(name, String(value));
    }
    if (text !== undefined) {
        element.textContent = text;
    }
    return element;
}

function outcomeOf(run: OrchRunDto): (typeof outcomes)[number] {
    return run._status === "COMPLETED" || run._status === "FAILED" || run._status === "CANCELLED" ? run._status : "ACTIVE";
}

/** Bars per bucket stacked by outcome (left axis: runs), a dot per bucket at its mean duration (right axis). */
export function runsChart(runs: readonly OrchRunDto[], now: number): SVGElement {
    const buckets = hours * 60 * 60_000 / bucketMs;
    const start = now - buckets * bucketMs;
    const counts = Array.from({ length: buckets }, () => ({ COMPLETED: 0, FAILED: 0, CANCELLED: 0, ACTIVE: 0, durationSum: 0, finished: 0 }));
    for (const run of runs) {
        const index = Math.floor((Number(run._createdat) - start) / bucketMs);
        const bucket = counts[index];
        if (!bucket) {
            continue;
        }
        const outcome = outcomeOf(run);
        bucket[outcome]++;
        if (outcome !== "ACTIVE" && run._updatedat) {
            bucket.durationSum += Number(run._updatedat) - Number(run._createdat);
            bucket.finished++;
        }
    }
    const width = 720, height = 240, left = 40, right = 60, top = 10, bottom = 30;
    const plotW = width - left - right, plotH = height - top - bottom;
    const maxCount = Math.max(1, ...counts.map(c => c.COMPLETED + c.FAILED + c.CANCELLED + c.ACTIVE));
    const maxDuration = Math.max(1, ...counts.map(c => (c.finished ? c.durationSum / c.finished : 0)));
    const barW = plotW / buckets;
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": "chart-title chart-desc", width, height });
    root.append(svg("title", { id: "chart-title" }, `Runs per half hour over the last ${hours} hours, by outcome, with mean duration`));
    const total = counts.reduce((sum, c) => sum + c.COMPLETED + c.FAILED + c.CANCELLED + c.ACTIVE, 0);
    root.append(svg("desc", { id: "chart-desc" }, `${total} runs; the longest mean duration is ${formatDuration(Math.round(maxDuration))}.`));
    root.append(svg("line", { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, class: "axis" }));
    root.append(svg("text", { x: left - 6, y: top + 10, "text-anchor": "end", class: "tick" }, String(maxCount)));
    root.append(svg("text", { x: left - 6, y: top + plotH, "text-anchor": "end", class: "tick" }, "0"));
    root.append(svg("text", { x: left + plotW + 6, y: top + 10, class: "tick" }, formatDuration(Math.round(maxDuration))));
    counts.forEach((bucket, i) => {
        let y = top + plotH;
        for (const outcome of outcomes) {
            const barH = (bucket[outcome] / maxCount) * plotH;
            if (barH > 0) {
                y -= barH;
                const rect = svg("rect", { x: left + i * barW + 2, y, width: Math.max(1, barW - 4), height: barH, class: `bar o-${outcome}` });
                rect.append(svg("title", {}, `${bucket[outcome]} ${outcome.toLowerCase()}`));
                root.append(rect);
            }
        }
        if (bucket.finished) {
            const mean = bucket.durationSum / bucket.finished;
            const dot = svg("circle", { cx: left + (i + 0.5) * barW, cy: top + plotH - (mean / maxDuration) * plotH, r: 4, class: "duration" });
            dot.append(svg("title", {}, `mean duration ${formatDuration(Math.round(mean))}`));
            root.append(dot);
        }
        if (i % 2 === 0) {
            const at = new Date(start + i * bucketMs);
            root.append(svg("text", { x: left + i * barW, y: height - 10, class: "tick" }, `${String(at.getUTCHours()).padStart(2, "0")}:${String(at.getUTCMinutes()).padStart(2, "0")}`));
        }
    });
    return root;
}

export async function overviewView(target: HTMLElement, signal: AbortSignal): Promise<void> {
    const counts = h("div", { class: "counts", id: "counts" });
    const chart = h("figure", { class: "chart", id: "chart" });
    const legend = h("p", { class: "legend" }, ...outcomes.map(o => h("span", { class: `key o-${o}` }, o.toLowerCase())), h("span", { class: "key duration" }, "mean duration (dot)"));
    target.replaceChildren(h("h1", {}, `Overview of ${session.namespace}`), counts, h("h2", {}, `Runs over the last ${hours} hours (UTC)`), legend, chart);
    try {
        const now = Date.now();
        const [totals, recent] = await Promise.all([
            Promise.all(statuses.map(s => runsClient.list(session.namespace, 1, 0, s, undefined, undefined, undefined, signal))),
            runsClient.list(session.namespace, 1000, 0, undefined, String(now - hours * 3_600_000), undefined, undefined, signal),
        ]);
        counts.replaceChildren(...statuses.map((s, i) => h("div", { class: "count" }, h("b", {}, String(totals[i]!._total)), h("span", { class: `status s-${s}` }, s))));
        chart.replaceChildren(runsChart(recent._list, now),
            recent._total > recent._list.length ? h("figcaption", { class: "muted" }, `The newest ${recent._list.length} of ${recent._total} runs are shown.`) : "");
    } catch (error) {
        if (!signal.aborted) {
            counts.replaceChildren(h("div", { class: "problem" }, describeError(error)));
        }
    }
}
