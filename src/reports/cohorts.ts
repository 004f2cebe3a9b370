/** The Cohorts tab (being built; this placeholder only says so). */

import { EngineError } from "../engine/errors";
import type { TabBuilder } from "./tabBuild";

export const buildCohortsTab: TabBuilder = () => {
  throw new EngineError("INSUFFICIENT_DATA", "the Cohorts tab is not built yet");
};
