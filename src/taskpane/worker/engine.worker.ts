/**
 * The analysis engine's Web Worker (webpack entry `engine-worker`, loaded only when a wizard runs):
 * the builders run here so that the task pane never freezes. See protocol.ts for the messages.
 */
import { build, BuildFailure, failureOf, inspect } from "./pipeline";
import type { EngineRequest, EngineResponse } from "./protocol";

interface WorkerScope {
  onmessage: ((event: MessageEvent<EngineRequest>) => void) | null;
  postMessage(message: EngineResponse): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const request = event.data;
  try {
    if (request.type === "inspect") {
      scope.postMessage({ type: "inspected", id: request.id, inspection: inspect(request) });
    } else {
      const result = build(request, (done, message) => scope.postMessage({ type: "progress", id: request.id, done, message }));
      scope.postMessage({ type: "result", id: request.id, ...result });
    }
  } catch (error) {
    const failure = error instanceof BuildFailure ? error.failure : failureOf(error, [], {}, null, "");
    scope.postMessage({ type: "error", id: request.id, failure });
  }
};
