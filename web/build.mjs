// Bundles the run monitor into the service's wwwroot (committed, so `dotnet run` serves it without
// Node). `node build.mjs --out DIR` writes elsewhere (the drift test builds into a temp folder).
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outIndex = process.argv.indexOf("--out");
const outDir = outIndex > 0 ? process.argv[outIndex + 1] : join(here, "..", "src", "Api", "wwwroot", "monitor");
mkdirSync(outDir, { recursive: true });

await build({
    entryPoints: [join(here, "src", "main.ts")],
    outfile: join(outDir, "app.js"),
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    charset: "utf8",
    logLevel: "warning",
});
copyFileSync(join(here, "src", "index.html"), join(outDir, "index.html"));
copyFileSync(join(here, "src", "app.css"), join(outDir, "app.css"));
