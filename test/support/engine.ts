import { EngineError } from "../../src/engine/errors";

/** Runs `action`, expecting an EngineError; returns it so the test can check code, location, message. */
export function engineErrorOf(action: () => unknown): EngineError {
  try {
    action();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw new Error(`expected an EngineError, got ${String(error)}`);
  }
  throw new Error("expected an EngineError, but nothing was thrown");
}

/** Runs `action`, expecting an EngineError with the INVALID_INPUT code; returns it for its message and argument. */
export function invalidInputOf(action: () => unknown): EngineError {
  const error = engineErrorOf(action);
  if (error.code !== "INVALID_INPUT") throw new Error(`expected INVALID_INPUT, got ${error.code}: ${error.message}`);
  return error;
}
