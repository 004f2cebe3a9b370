#!/usr/bin/env node
// `npm start`: builds and serves the add-in on https://localhost:3000 (hot reload), then
// - on Windows and macOS, sideloads manifest.xml into desktop Excel (Microsoft's office-addin-debugging);
// - elsewhere (no desktop Excel), serves and prints how to add manifest.xml to Excel on the web.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", process.platform === "win32" ? `${name}.cmd` : name);
const desktopExcel = process.platform === "win32" || process.platform === "darwin";

function run(command, args) {
  // Windows runs .cmd shims through a shell, which joins arguments with spaces: quote those with spaces.
  const shell = process.platform === "win32";
  const argv = shell ? args.map((arg) => (/\s/.test(arg) ? `"${arg}"` : arg)) : args;
  const child = spawn(shell ? `"${command}"` : command, argv, { cwd: root, stdio: "inherit", shell });
  child.on("exit", (code) => process.exit(code ?? 1));
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
}

if (desktopExcel && process.env.IMC_NO_SIDELOAD !== "1") {
  run(bin("office-addin-debugging"), ["start", "manifest.xml", "desktop", "--app", "excel", "--dev-server", "npm run serve", "--dev-server-port", "3000"]);
} else {
  console.log(
    [
      "",
      "IMC Analytics — development server on port 3000 (Ctrl+C to stop).",
      desktopExcel ? "" : "Desktop Excel is not available on this system, so nothing is sideloaded automatically.",
      "",
      "To use the add-in in Excel on the web:",
      "  1. Trust the development certificate once: npx office-addin-dev-certs install",
      "     (if that is impossible here, the server falls back to HTTP, which Excel refuses).",
      "  2. Open a workbook at https://www.office.com (Excel on the web).",
      "  3. Home > Add-ins > More Add-ins > My Add-ins > Upload My Add-in, and choose",
      `     ${path.join(root, "manifest.xml")}`,
      "  4. The Home tab gets an 'IMC Analytics' group; type =IMC.CLV(100, 0.8, 0.1) in a cell.",
      "",
    ].join("\n"),
  );
  run(bin("webpack"), ["serve", "--mode", "development"]);
}
