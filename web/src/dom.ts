// A tiny element builder: text goes in as text nodes (never innerHTML), so run data cannot inject markup.
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | number | ((event: Event) => void) | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
        if (value === undefined || value === false) {
            continue;
        }
        if (typeof value === "function") {
            element.addEventListener(name.replace(/^on/, ""), value);
        } else if (value === true) {
            element.setAttribute(name, "");
        } else {
            element.setAttribute(name, String(value));
        }
    }
    for (const child of children.flat()) {
        if (child !== null && child !== undefined && child !== false) {
            element.append(child);
        }
    }
    return element;
}

export function statusBadge(status: string): HTMLElement {
    return h("span", { class: `status s-${status}` }, status);
}

export function formatTime(epochMs: string | undefined): string {
    if (!epochMs) {
        return "";
    }
    const date = new Date(Number(epochMs));
    return date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

export function formatDuration(ms: number): string {
    if (ms < 1000) {
        return `${ms} ms`;
    }
    const s = Math.round(ms / 1000);
    return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function prettyJson(text: string): string {
    try {
        return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
        return text;
    }
}

export function toast(message: string): void {
    const box = document.getElementById("toast");
    if (box) {
        box.textContent = message;
    }
}
