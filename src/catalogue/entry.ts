/** One custom function as the task pane, the help page and the build checks describe it. */
export interface CatalogueEntry {
  /** Full name as typed in Excel, e.g. `IMC.CLV`. */
  readonly name: string;
  /** Id in functions.json (the name without the `IMC.` namespace). */
  readonly id: string;
  /** Group shown in the task pane. */
  readonly category:
    | "Customer value"
    | "Attribution"
    | "Segments"
    | "ROCI"
    | "Unit economics"
    | "Budget"
    | "Campaigns"
    | "Experiments"
    | "Leads"
    | "Loyalty"
    | "Privacy";
  /** The signature with optional arguments in brackets, as in the product contract. */
  readonly signature: string;
  /** One line for finance and marketing users. */
  readonly summary: string;
  /** A formula that works in an empty sheet (literal arguments only), starting with `=`. */
  readonly example: string;
  /** What the example returns in its top-left cell, as Excel would display it (2 decimals for numbers). */
  readonly exampleResult: string;
  /** What the function returns, in words: "A number: …", "A table: one row per customer with …". */
  readonly returns: string;
}
