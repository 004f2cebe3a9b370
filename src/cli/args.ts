/**
 * A small declarative command-line parser: flags with values (`--out FILE`, `--out=FILE`), booleans
 * (`--fit-only`), comma lists that may repeat (`--tabs a,b --tabs c`), positionals, `--` to end the
 * flags, and `-h`/`--help`. An unknown flag or a missing value is a usage error (exit code 2) that
 * names it and points at `--help`. The same specification writes the command's help text.
 */

import { usageError } from "./errors";

/** One flag of a command. */
export interface FlagSpec {
  /** Name without dashes, e.g. `out` for `--out`. */
  readonly name: string;
  /** `value`: one text value; `boolean`: present or not; `list`: comma-separated values, may repeat. */
  readonly kind: "value" | "boolean" | "list";
  /** Placeholder in the help, e.g. `FILE`. */
  readonly valueName?: string;
  /** One line for the help. */
  readonly description: string;
}

/** One positional argument. */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  /** Default true. */
  readonly required?: boolean;
}

/** What a command accepts. */
export interface CommandSpec {
  /** e.g. `clv`. */
  readonly command: string;
  readonly positionals: readonly PositionalSpec[];
  readonly flags: readonly FlagSpec[];
}

/** Parsed arguments. */
export interface ParsedArgs {
  /** True when -h or --help was given (the caller prints the help; nothing else is checked). */
  readonly help: boolean;
  /** Positionals by name (missing optional ones absent). */
  readonly positionals: Readonly<Record<string, string>>;
  /** Value flags by name (last one wins). */
  readonly values: Readonly<Record<string, string>>;
  /** Boolean flags given. */
  readonly booleans: ReadonlySet<string>;
  /** List flags by name, values split on commas, in order. */
  readonly lists: Readonly<Record<string, readonly string[]>>;
  /** Value and list flags by name: every value as given (not split), in order; a value flag given twice has two. */
  readonly given: Readonly<Record<string, readonly string[]>>;
}

/**
 * Parses `args` against `spec`.
 *
 * @param args the words after the command name.
 * @param spec the command's flags and positionals.
 * @returns the parsed arguments.
 * @throws CliError (exit code 2) for an unknown flag, a flag without its value, a value given to a
 *   boolean flag, a missing required positional or too many positionals.
 */
export function parseArgs(args: readonly string[], spec: CommandSpec): ParsedArgs {
  const hint = `see imc ${spec.command} --help`;
  const flags = new Map(spec.flags.map((flag) => [flag.name, flag]));
  const values: Record<string, string> = {};
  const booleans = new Set<string>();
  const lists: Record<string, string[]> = {};
  const given: Record<string, string[]> = {};
  const positionals: string[] = [];
  let help = false;
  let flagsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (flagsEnded || !word.startsWith("-") || word === "-") {
      positionals.push(word);
      continue;
    }
    if (word === "--") {
      flagsEnded = true;
      continue;
    }
    if (word === "-h" || word === "--help") {
      help = true;
      continue;
    }
    if (!word.startsWith("--")) throw usageError(`unknown option ${word} for imc ${spec.command}; ${hint}`);
    const equals = word.indexOf("=");
    const name = word.slice(2, equals < 0 ? undefined : equals);
    const flag = flags.get(name);
    if (flag === undefined) {
      const close = spec.flags.find((candidate) => near(candidate.name, name));
      throw usageError(`unknown option --${name} for imc ${spec.command}${close ? ` (did you mean --${close.name}?)` : ""}; ${hint}`);
    }
    if (flag.kind === "boolean") {
      if (equals >= 0) throw usageError(`--${name} takes no value; ${hint}`);
      booleans.add(name);
      continue;
    }
    let value: string;
    if (equals >= 0) value = word.slice(equals + 1);
    else {
      if (i + 1 >= args.length || (args[i + 1].startsWith("--") && args[i + 1].length > 2)) {
        throw usageError(`--${name} needs a value (${flag.valueName ?? "VALUE"}); ${hint}`);
      }
      value = args[++i];
    }
    (given[name] ??= []).push(value);
    if (flag.kind === "value") values[name] = value;
    else {
      const items = value.split(",").map((item) => item.trim()).filter((item) => item.length > 0);
      (lists[name] ??= []).push(...items);
    }
  }
  const named: Record<string, string> = {};
  if (!help) {
    if (positionals.length > spec.positionals.length) {
      throw usageError(`unexpected argument "${positionals[spec.positionals.length]}" for imc ${spec.command}; ${hint}`);
    }
    spec.positionals.forEach((positional, index) => {
      if (index < positionals.length) named[positional.name] = positionals[index];
      else if (positional.required !== false) throw usageError(`imc ${spec.command} needs ${positional.name}; ${hint}`);
    });
  }
  return { help, positionals: named, values, booleans, lists, given };
}

/**
 * File names given to a flag that may repeat and takes comma lists (`--from a.csv,b.csv --from c.csv`),
 * each kept whole when it is one path: a value is split on its commas unless it names a file or folder
 * that exists (`--from 'sales, 2024.csv'`), or is a glob whose folder, which exists, has the comma
 * (`--from 'exports,2024/*.csv'`).
 *
 * @param values the values as given ({@link ParsedArgs.given}).
 * @param exists whether a path (as given, relative to the working folder) exists.
 * @returns the files and globs, in order, blanks left out.
 */
export function fileList(values: readonly string[], exists: (path: string) => boolean): string[] {
  const files: string[] = [];
  for (const value of values) {
    const whole = value.trim();
    if (whole === "") continue;
    const wildcard = whole.search(/[*?[]/);
    const folder = wildcard < 0 ? "" : whole.slice(0, whole.lastIndexOf("/", wildcard) + 1);
    if (!whole.includes(",") || exists(whole) || (folder.includes(",") && exists(folder))) files.push(whole);
    else files.push(...whole.split(",").map((item) => item.trim()).filter((item) => item.length > 0));
  }
  return files;
}

/** True when two flag names differ by at most two edits (a typo), for "did you mean". */
function near(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length] <= 2;
}

/**
 * The help text of a command from its specification.
 *
 * @param spec the command's flags and positionals.
 * @param summary one line saying what the command does.
 * @param details paragraphs after the options (input columns, notes, an example).
 * @returns the text, ending with a newline.
 */
export function helpText(spec: CommandSpec, summary: string, details: string): string {
  const usage = [
    `imc ${spec.command}`,
    ...spec.positionals.map((p) => (p.required === false ? `[${p.name}]` : p.name)),
    "[options]",
  ].join(" ");
  const lines = [`Usage: ${usage}`, "", summary, ""];
  if (spec.positionals.length > 0) {
    lines.push("Arguments:");
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(26)} ${p.description}`);
    lines.push("");
  }
  lines.push("Options:");
  const flagRows = spec.flags.map((flag) => [
    `--${flag.name}${flag.kind === "boolean" ? "" : ` ${flag.valueName ?? "VALUE"}`}`,
    flag.description,
  ]);
  flagRows.push(["-h, --help", "Show this help."]);
  for (const [left, right] of flagRows) lines.push(`  ${left.padEnd(26)} ${right}`);
  if (details.trim().length > 0) lines.push("", details.trim());
  return `${lines.join("\n")}\n`;
}
