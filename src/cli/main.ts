/**
 * `imc`, the headless runner: `imc <command> [arguments]`.
 *
 * `imc`, `imc --help` and `imc help` list the commands; `imc help <command>` and
 * `imc <command> --help` show one command's help; `imc --version` prints the version. An unknown
 * command is a usage error (exit code 2). Whatever a command throws becomes one line on stderr and
 * an exit code (see errors.ts) — never a stack trace. With IMC_REPORT_RSS=1 in the environment the
 * process's peak memory is written to stderr at the end (used by the benchmark).
 */

import { readFileSync } from "node:fs";
import { COMMANDS, type Command } from "./commands/index";
import { reportError, usageError } from "./errors";
import { processIo, type CliIo } from "./io";

/** The version in package.json. */
function version(): string {
  try {
    const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
    return (JSON.parse(text) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** The text of `imc --help`. */
export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = [
    "Usage: imc <command> [arguments] [options]",
    "",
    "IMC Analytics without Excel: the same analyses as the add-in's functions, on CSV files and workbooks.",
    "",
    "Commands:",
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Every command takes --help. Results go to standard output as CSV, or --out FILE, --format json.",
    "Options: --help, --version. Set IMC_PROGRESS=1 to see progress when stderr is not a terminal,",
    "IMC_DEBUG=1 to see the stack trace of an internal error.",
    "",
  ];
  return lines.join("\n");
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    throw usageError(`unknown command "${name}"; the commands are ${COMMANDS.map((c) => c.name).join(", ")} (see imc --help)`);
  }
  return command;
}

/**
 * Runs `imc` with the given arguments.
 *
 * @param argv the arguments after `imc`.
 * @param io streams, working directory and clock (default: the real process).
 * @returns the exit code: 0 success, 1 bad input or failure, 2 usage error.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === "--help" || first === "-h" || (first === "help" && rest.length === 0)) {
      io.stdout(generalHelp());
      return 0;
    }
    if (first === "--version" || first === "-v") {
      io.stdout(`imc ${version()}\n`);
      return 0;
    }
    if (first === "help") {
      io.stdout(findCommand(rest[0]).help);
      return 0;
    }
    if (first.startsWith("-")) throw usageError(`unknown option ${first}; see imc --help`);
    const command = findCommand(first);
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io);
  } finally {
    // For the benchmark (bench/cases/cli.bench.ts): the peak memory of this process, one line on stderr.
    if (process.env.IMC_REPORT_RSS === "1") io.stderr(`imc: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB\n`);
  }
}
