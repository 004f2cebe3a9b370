import { describe, expect, it } from "vitest";
import { helpText, parseArgs, type CommandSpec } from "../../src/cli/args";
import { CliError } from "../../src/cli/errors";

const SPEC: CommandSpec = {
  command: "report",
  positionals: [{ name: "in.xlsx", description: "Workbook." }, { name: "extra", description: "Optional.", required: false }],
  flags: [
    { name: "out", kind: "value", valueName: "FILE", description: "Output." },
    { name: "tabs", kind: "list", valueName: "A,B", description: "Tabs." },
    { name: "mask-pii", kind: "boolean", description: "Mask." },
  ],
};

function usage(args: string[]): CliError {
  try {
    parseArgs(args, SPEC);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error("expected a usage error");
}

describe("parseArgs", () => {
  it("reads values in both spellings, booleans, repeated comma lists and positionals", () => {
    const parsed = parseArgs(["book.xlsx", "--out=x.xlsx", "--tabs", "Budget, Segmentation", "--mask-pii", "--tabs=Attribution"], SPEC);
    expect(parsed.positionals).toEqual({ "in.xlsx": "book.xlsx" });
    expect(parsed.values).toEqual({ out: "x.xlsx" });
    expect(parsed.lists).toEqual({ tabs: ["Budget", "Segmentation", "Attribution"] });
    expect([...parsed.booleans]).toEqual(["mask-pii"]);
    expect(parsed.help).toBe(false);
  });

  it("-- ends the options; a lone - is a positional; values may start with a single dash", () => {
    const parsed = parseArgs(["--out", "-", "--", "--weird.xlsx", "-"], SPEC);
    expect(parsed.values.out).toBe("-");
    expect(parsed.positionals).toEqual({ "in.xlsx": "--weird.xlsx", extra: "-" });
  });

  it("--help skips the positional checks", () => {
    expect(parseArgs(["--help"], SPEC).help).toBe(true);
    expect(parseArgs(["-h", "--out", "x"], SPEC).help).toBe(true);
  });

  it("usage errors have exit code 2 and name the problem", () => {
    const unknown = usage(["a.xlsx", "--tab", "x"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.message).toBe("unknown option --tab for imc report (did you mean --tabs?); see imc report --help");
    expect(usage(["a.xlsx", "--out"]).message).toMatch(/^--out needs a value \(FILE\)/);
    expect(usage(["a.xlsx", "--out", "--tabs", "x"]).message).toMatch(/^--out needs a value/);
    expect(usage(["a.xlsx", "--mask-pii=yes"]).message).toMatch(/^--mask-pii takes no value/);
    expect(usage([]).message).toMatch(/^imc report needs in\.xlsx/);
    expect(usage(["a", "b", "c"]).message).toMatch(/^unexpected argument "c"/);
    expect(usage(["a", "-x"]).message).toMatch(/^unknown option -x/);
  });

  it("help text lists usage, arguments and every option", () => {
    const text = helpText(SPEC, "Adds generated tabs.", "Example:\n  imc report book.xlsx");
    expect(text.split("\n")[0]).toBe("Usage: imc report in.xlsx [extra] [options]");
    for (const flag of ["--out FILE", "--tabs A,B", "--mask-pii", "-h, --help"]) expect(text).toContain(flag);
    expect(text.endsWith("imc report book.xlsx\n")).toBe(true);
  });
});
