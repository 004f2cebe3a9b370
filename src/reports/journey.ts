/** The Journey tab (being built; this placeholder only says so). */

import { EngineError } from "../engine/errors";
import type { TabBuilder } from "./tabBuild";

export const buildJourneyTab: TabBuilder = () => {
  throw new EngineError("INSUFFICIENT_DATA", "the Journey tab is not built yet");
};
