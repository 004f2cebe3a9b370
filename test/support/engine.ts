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
