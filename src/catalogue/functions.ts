/**
 * The catalogue of IMC custom functions that this build registers: what the task pane lists and
 * what the build checks compare with the generated `functions.json` (every registered function
 * must be here, and nothing here may be missing from the bundle).
 *
 * Pure data: importable from the task pane, the function adapters, tests and scripts.
 */

export interface CatalogueEntry {
  /** Full name as typed in Excel, e.g. `IMC.CLV`. */
  readonly name: string;
  /** Id in functions.json (the name without the `IMC.` namespace). */
  readonly id: string;
  /** Group shown in the task pane. */
  readonly category: "Customer value" | "Attribution" | "Segments" | "ROCI" | "Budget" | "Campaigns" | "Privacy";
  /** The signature with optional arguments in brackets, as in the product contract. */
  readonly signature: string;
  /** One line for finance and marketing users. */
  readonly summary: string;
  /** A formula that works in an empty sheet, starting with `=`. */
  readonly example: string;
  /** What the example returns, as Excel would display it. */
  readonly exampleResult: string;
}

export const FUNCTION_CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: "IMC.CLV",
    id: "CLV",
    category: "Customer value",
    signature: "IMC.CLV(margin, retention_rate, discount_rate, [periods], [margin_now])",
    summary:
      "Customer lifetime value from margin per period, retention rate and discount rate; works cell by cell over ranges.",
    example: "=IMC.CLV(100, 0.8, 0.1)",
    exampleResult: "266.67",
  },
];
