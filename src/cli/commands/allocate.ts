/**
 * `imc allocate channels.csv --budget N`: the optimal split of a budget across channels (or
 * lifecycle stages) on their response curves — the table of IMC.ALLOCATE, computed by the same
 * engine call with the same checks on every cell.
 */

import { allocateBudget, allocationUnitProblem, type AllocationField, type AllocationUnit } from "../../engine/budget/allocate";
import { hillCurveProblem, type HillCurve } from "../../engine/budget/hillCurve";
import { alignRows, toNumber, toOptionalNumber, toText } from "../../engine/data";
import { EngineError, invalidArgument, invalidCell } from "../../engine/errors";
import { ALLOCATE_ARGUMENTS, allocationRows, toAllocateArgument } from "../../functions/budget";
import { helpText, parseArgs, type CommandSpec } from "../args";
import { ALLOCATION_COLUMNS, findColumns } from "../csv/columns";
import { usageError, withErrorContext } from "../errors";
import type { CliIo } from "../io";
import type { Command } from "./index";
import { columnCells, OUTPUT_FLAGS, readInput, rowOfTable, writeTable } from "./shared";

const SPEC: CommandSpec = {
  command: "allocate",
  positionals: [{ name: "channels.csv", description: "One row per channel (or stage) with its response curve." }],
  flags: [
    { name: "budget", kind: "value", valueName: "N", description: "Total budget to split (required), e.g. 100000." },
    { name: "unit-column", kind: "value", valueName: "NAME", description: "Header of the unit (channel) name column (default: found by name)." },
    { name: "ceiling-column", kind: "value", valueName: "NAME", description: "Header of the ceiling column." },
    { name: "half-saturation-column", kind: "value", valueName: "NAME", description: "Header of the half-saturation column." },
    ...OUTPUT_FLAGS,
  ],
};

const SUMMARY = "Splits a budget across channels for the most response on diminishing-return curves, as IMC.ALLOCATE.";

const DETAILS = `Columns (found by header name; optional ones may be left out or left blank):
  unit             unit, channel, stage, name
  ceiling          most response the unit can ever reach
  half_saturation  spend at which the unit reaches half its ceiling
  shape            1 (default) for diminishing returns, above 1 for an S-curve (optional)
  min_spend        lowest spend (optional, default 0)
  max_spend        highest spend (optional, default no limit)
  current_spend    today's spend, to show the change and the lift (optional)
Output: Unit, Spend, Share, Response, ROI, Marginal ROI, Change vs current, then Total (and,
with current_spend, Current and Lift).

Example:
  imc allocate channels.csv --budget 250000 --format json`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.stdout(allocateCommand.help);
    return 0;
  }
  const budgetText = args.values.budget;
  if (budgetText === undefined) throw usageError("imc allocate needs --budget N (the total budget, e.g. 100000); see imc allocate --help");
  const file = args.positionals["channels.csv"];
  const table = await readInput(io, file);
  const columns = findColumns(
    table.header,
    ALLOCATION_COLUMNS,
    { unit: args.values["unit-column"], ceiling: args.values["ceiling-column"], halfSaturation: args.values["half-saturation-column"] },
    file,
  );
  const columnNames: Record<string, string> = {};
  for (const field of Object.keys(ALLOCATE_ARGUMENTS) as AllocationField[]) {
    const index = field === "budget" ? -1 : columns[field as keyof typeof columns];
    if (index >= 0) columnNames[ALLOCATE_ARGUMENTS[field]] = table.header[index];
  }
  const context = { file, columns: columnNames, flags: { budget: "--budget" }, rowOf: rowOfTable(table) };
  const rows = await withErrorContext(context, () => {
    const total = toNumber(budgetText, "budget", 1);
    if (total < 0) throw invalidArgument("budget", `must be a number of at least 0, got ${total}`);
    const cells = (index: number) => (index < 0 ? null : columnCells(table, index));
    const names = cells(columns.unit)!;
    const ceilings = cells(columns.ceiling)!;
    const halves = cells(columns.halfSaturation)!;
    const shapes = cells(columns.shape);
    const mins = cells(columns.minSpend);
    const maxes = cells(columns.maxSpend);
    const currents = cells(columns.currentSpend);
    const count = alignRows([
      { argument: "units", values: names },
      { argument: "ceilings", values: ceilings },
      { argument: "half_saturations", values: halves },
    ]);
    if (count === 0) throw new EngineError("INSUFFICIENT_DATA", "units: every row is blank; there are no units to allocate the budget to");
    const seen = new Map<string, number>();
    const units: AllocationUnit[] = [];
    for (let i = 0; i < count; i++) {
      const row = i + 1;
      const name = toText(names[i], "units", row);
      const previous = seen.get(name.toLowerCase());
      if (previous !== undefined) throw invalidCell("units", row, `"${name}" is listed twice (also row ${previous}); give each unit one row`);
      seen.set(name.toLowerCase(), row);
      const optional = (column: string[] | null, argument: string) => (column === null ? null : toOptionalNumber(column[i], argument, row));
      const curve: HillCurve = {
        ceiling: toNumber(ceilings[i], "ceilings", row),
        halfSaturation: toNumber(halves[i], "half_saturations", row),
        shape: optional(shapes, "shapes") ?? 1,
      };
      const curveProblem = hillCurveProblem(curve);
      if (curveProblem !== null) throw invalidCell(ALLOCATE_ARGUMENTS[curveProblem.field as AllocationField], row, curveProblem.problem);
      const unit: AllocationUnit = {
        name,
        curve,
        minSpend: optional(mins, "min_spend") ?? 0,
        maxSpend: optional(maxes, "max_spend"),
        currentSpend: currents === null ? null : (optional(currents, "current_spend") ?? 0),
      };
      const unitProblem = allocationUnitProblem(unit);
      if (unitProblem !== null) throw invalidCell(ALLOCATE_ARGUMENTS[unitProblem.field], row, unitProblem.problem);
      units.push(unit);
    }
    let result;
    try {
      result = allocateBudget({ budget: total, units });
    } catch (error) {
      // Engine messages name its fields (minSpend, unit 3); re-address them to the file's columns.
      throw toAllocateArgument(error);
    }
    if (!result.converged) {
      throw new EngineError("NOT_CONVERGED", "imc allocate: the allocation did not converge; check for extreme ceilings or half-saturations");
    }
    return allocationRows(result, currents !== null);
  });
  writeTable(rows, args, io);
  return 0;
}

export const allocateCommand: Command = { name: "allocate", summary: SUMMARY, help: helpText(SPEC, SUMMARY, DETAILS), run };
