/**
 * A stand-in for the `CustomFunctions` global that Excel's runtime provides, so the function
 * modules can be called in Node exactly as Excel calls them. Mirrors the real API's names
 * (`CustomFunctions.Error`, `CustomFunctions.ErrorCode`, `CustomFunctions.associate`).
 */

export class StubCustomFunctionsError extends Error {
  readonly code: string;
  constructor(code: string, message?: string) {
    super(message);
    this.code = code;
  }
}

export const associations = new Map<string, (...args: any[]) => unknown>();

/** Installs the stub on globalThis (idempotent) and returns it. */
export function installCustomFunctionsStub() {
  const stub = {
    Error: StubCustomFunctionsError,
    ErrorCode: {
      invalidValue: "#VALUE!",
      notAvailable: "#N/A",
      divisionByZero: "#DIV/0!",
      invalidNumber: "#NUM!",
      nullReference: "#NULL!",
      invalidName: "#NAME?",
      invalidReference: "#REF!",
    },
    associate(id: string, fn: (...args: any[]) => unknown) {
      associations.set(id, fn);
    },
  };
  (globalThis as any).CustomFunctions = stub;
  return stub;
}

/** Asserts that `value` is a stub Excel error and returns it typed. */
export function asExcelError(value: unknown): StubCustomFunctionsError {
  if (!(value instanceof StubCustomFunctionsError)) {
    throw new Error(`expected a CustomFunctions.Error, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Calls `fn` and returns the CustomFunctions.Error it throws (fails if it returns or throws something else). */
export function excelErrorOf(fn: () => unknown): StubCustomFunctionsError {
  try {
    fn();
  } catch (error) {
    return asExcelError(error);
  }
  throw new Error("expected the function to throw a CustomFunctions.Error, but it returned");
}
