/**
 * The wizard chunk's entry (loaded on demand by App): makes the analysis engine for the wizard's
 * life and ends its worker when the wizard closes.
 */
import { useEffect, useState } from "react";
import type { WorkbookPort } from "../../excel/workbook";
import { createEngine, type Engine } from "../worker/client";
import { wizardById, type WizardId } from "./definitions";
import { WizardView } from "./WizardView";

export interface WizardHostProps {
  readonly wizardId: WizardId;
  readonly workbook: WorkbookPort;
  /** Makes the engine; default: the Web Worker (in-process where there is no Worker). */
  readonly engineFactory?: () => Engine;
  readonly now: () => Date;
  readonly onClose: () => void;
}

export default function WizardHost({ wizardId, workbook, engineFactory, now, onClose }: WizardHostProps) {
  const [engine] = useState<Engine>(() => (engineFactory ?? createEngine)());
  useEffect(() => () => engine.dispose(), [engine]);
  return <WizardView wizard={wizardById(wizardId)} workbook={workbook} engine={engine} now={now} onClose={onClose} />;
}
