/**
 * Start-up handshake with office.js.
 */

/** What the task pane needs to know about where it runs. */
export interface OfficeReadyInfo {
  /** The Office application (`"Excel"`, `"Word"`, ...), or `null` outside Office. */
  readonly host: string | null;
  /** Whether the Excel JavaScript API (the `Excel` namespace) is present. */
  readonly excelAvailable: boolean;
}

/**
 * Waits for office.js to initialise and reports the host.
 *
 * Never throws for a page opened outside Office: without office.js (no `Office` global) it
 * resolves `{ host: null, excelAvailable: false }` at once, so the task pane can still render and
 * explain that Excel is needed. In a plain browser with office.js loaded, `Office.onReady`
 * resolves with `host: null`.
 */
export async function whenOfficeReady(): Promise<OfficeReadyInfo> {
  if (typeof Office === "undefined") {
    return { host: null, excelAvailable: false };
  }
  const info = await Office.onReady();
  // @types/office-js declares HostType as a numeric enum, but office.js defines it as strings
  // ("Excel", "Word", ...); outside Office the host is null.
  const host: unknown = info?.host;
  return {
    host: host === null || host === undefined ? null : String(host),
    excelAvailable: typeof Excel !== "undefined",
  };
}
