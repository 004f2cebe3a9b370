/** The Leads tab (being built; this placeholder only says so). */

import { EngineError } from "../engine/errors";
import type { TabBuilder } from "./tabBuild";

export const buildLeadsTab: TabBuilder = () => {
  throw new EngineError("INSUFFICIENT_DATA", "the Leads tab is not built yet");
};
