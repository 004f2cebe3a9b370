/**
 * Request sizes. Excel on the web refuses a request or response over 5 MB; the adapter measures
 * what it queues (the JSON text of each assignment, as office.js serialises it) and syncs before a
 * request would pass a budget well under that limit.
 */

/** Excel on the web's cap on one request or response, in bytes. */
export const EXCEL_PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

/** What the adapter lets one request carry: a fifth of the limit, leaving room for office.js's own envelope. */
export const DEFAULT_REQUEST_BUDGET_BYTES = 1024 * 1024;

/** Rows read per request at most (each response also stays under the budget). */
export const MAX_READ_ROWS = 5000;

/** Bytes of a string once UTF-8 encoded (without allocating). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Serialised size of a value as JSON, in UTF-8 bytes. */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value) ?? "null");
}
