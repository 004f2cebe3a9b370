/**
 * The analysis engine's Web Worker (webpack entry `engine-worker`, loaded only when a wizard runs):
 * the builders run here so that the task pane never freezes. See protocol.ts for the messages and
 * handler.ts for what is done with them.
 */
import { createHandler } from "./handler";
import type { EngineRequest, EngineResponse } from "./protocol";

interface WorkerScope {
  onmessage: ((event: MessageEvent<EngineRequest>) => void) | null;
  postMessage(message: EngineResponse): void;
}

const scope = self as unknown as WorkerScope;
const handle = createHandler((message) => scope.postMessage(message));
scope.onmessage = (event) => handle(event.data);
