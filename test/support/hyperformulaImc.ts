/**
 * The add-in's own custom functions inside HyperFormula (tests only), so a generated tab whose
 * formulas call them (the Budget tab's live `IMC.ALLOCATE`) can be recalculated as Excel would with
 * the add-in loaded. Each function is the real module's export (src/functions), called with its
 * arguments as Excel passes them: every argument a 2-D array of cells (blank cells as null), an
 * omitted optional argument as null. What it throws becomes a #VALUE! error with its message.
 *
 * Call {@link registerImcFunctions} before building the HyperFormula instance (loadReportSheet).
 */
import { ArraySize, CellError, EmptyValue, ErrorType, FunctionArgumentType, FunctionPlugin, HyperFormula, SimpleRangeValue } from "hyperformula";
import { allocate } from "../../src/functions/budget";
import { installCustomFunctionsStub } from "./customFunctions";

type HfValue = unknown;

/** An HyperFormula argument value as Excel passes it to a custom function: a 2-D array, blanks as null. */
function excelArgument(value: HfValue): unknown[][] | null {
  if (value === undefined || value === EmptyValue) return null;
  const cell = (v: HfValue): unknown => {
    if (v === EmptyValue || v === undefined) return null;
    if (v instanceof CellError) throw new Error(`argument holds an error: ${v.type}`);
    if (typeof v === "object" && v !== null && "val" in v) return (v as { val: unknown }).val; // HyperFormula's rich numbers (dates, percentages)
    return v;
  };
  if (value instanceof SimpleRangeValue) return value.data.map((row) => row.map(cell));
  return [[cell(value)]];
}

/** Rows of a range argument at parse time (a cell range; anything else counts as one row), for the size of the spill. HyperFormula's AstNodeType is not exported: its string values. */
function rowsOf(ast: { type: string; start?: { row: number }; end?: { row: number } } | undefined): number {
  if (ast && ast.type === "CELL_RANGE" && ast.start && ast.end) return ast.end.row - ast.start.row + 1;
  return 1;
}

const ANY_OPTIONAL = { argumentType: FunctionArgumentType.ANY, optionalArg: true };

class ImcFunctions extends FunctionPlugin {
  static override implementedFunctions = {
    "IMC.ALLOCATE": {
      method: "allocate",
      sizeOfResultArrayMethod: "allocateSize",
      vectorizationForbidden: true,
      // Dynamic-array Excel evaluates an argument like C2:C4*B2:B4 as an array, not by implicit intersection.
      enableArrayArithmeticForArguments: true,
      parameters: [
        { argumentType: FunctionArgumentType.ANY },
        { argumentType: FunctionArgumentType.ANY },
        { argumentType: FunctionArgumentType.ANY },
        { argumentType: FunctionArgumentType.ANY },
        ANY_OPTIONAL,
        ANY_OPTIONAL,
        ANY_OPTIONAL,
        ANY_OPTIONAL,
      ],
    },
  };

  allocate(ast: any, state: any) {
    return this.runFunction(ast.args, state, this.metadata("IMC.ALLOCATE"), (...args: HfValue[]) => {
      try {
        const rows = allocate(...(args.map(excelArgument) as Parameters<typeof allocate>));
        return SimpleRangeValue.onlyValues(rows.map((row) => row.map((cell) => (cell === "" ? EmptyValue : (cell as number | string | boolean)))));
      } catch (error) {
        return new CellError(ErrorType.VALUE, error instanceof Error ? error.message : String(error));
      }
    });
  }

  /** Header, one row per unit, Total; Current and Lift with current_spend. */
  allocateSize(ast: any): ArraySize {
    const units = rowsOf(ast.args[1]);
    const withCurrent = ast.args.length >= 8 && ast.args[7]?.type !== "EMPTY";
    return new ArraySize(7, 1 + units + 1 + (withCurrent ? 2 : 0));
  }
}

let registered = false;

/** Registers IMC.ALLOCATE with HyperFormula (idempotent). */
export function registerImcFunctions(): void {
  if (registered) return;
  installCustomFunctionsStub();
  HyperFormula.registerFunctionPlugin(ImcFunctions, { enGB: { "IMC.ALLOCATE": "IMC.ALLOCATE" } });
  registered = true;
}
