/**
 * The one place where the task pane turns a thrown value into text for the user.
 *
 * Excel failures arrive as `OfficeExtension.Error` (an `Error` with Excel's own message, e.g.
 * "The current selection is invalid for this operation."); that message is what the user should
 * read, so it is kept as is. Anything without a usable message gets a generic sentence rather than
 * "[object Object]".
 */

/** Shown when a thrown value carries no message of its own. */
export const FALLBACK_ERROR_MESSAGE = "Something went wrong. Please try again.";

/** Converts any thrown value to a one-line message for a MessageBar or a Field. */
export function errorMessage(error: unknown): string {
  if (typeof error === "string") {
    return error.trim() === "" ? FALLBACK_ERROR_MESSAGE : error;
  }
  if (typeof error === "object" && error !== null && "message" in error) {
    const { message } = error as { message: unknown };
    if (typeof message === "string" && message.trim() !== "") {
      return message;
    }
  }
  return FALLBACK_ERROR_MESSAGE;
}
