// The run monitor's assets committed in src/Api/wwwroot/monitor (what `dotnet run` serves on a
// fresh clone, without Node) must be what web/build.mjs makes from the sources now.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const webDir = fileURLToPath(new URL("../../../", import.meta.url));
const committedDir = join(webDir, "..", "src", "Api", "wwwroot", "monitor");

test("the committed page assets are a fresh build of web/src (run `npm run build` in web/ and commit)", () => {
    const fresh = mkdtempSync(join(tmpdir(), "orchrun-monitor-"));
    try {
        execFileSync(process.execPath, [join(webDir, "build.mjs"), "--out", fresh], { stdio: "pipe" });
        const built = readdirSync(fresh).sort();
        assert.deepEqual(readdirSync(committedDir).sort(), built);
        for (const name of built) {
            const same = readFileSync(join(fresh, name)).equals(readFileSync(join(committedDir, name)));
            assert.ok(same, `src/Api/wwwroot/monitor/${name} differs from a fresh build: run npm run build in web/ and commit it`);
        }
    } finally {
        rmSync(fresh, { recursive: true, force: true });
    }
});
