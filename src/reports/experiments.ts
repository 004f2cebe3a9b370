/** The Experiments tab (being built; this placeholder only says so). */

import { EngineError } from "../engine/errors";
import type { TabBuilder } from "./tabBuild";

export const buildExperimentsTab: TabBuilder = () => {
  throw new EngineError("INSUFFICIENT_DATA", "the Experiments tab is not built yet");
};
