/**
 * The runner's commands. Each parses its own arguments, reads its input, calls the engine and writes
 * its result; `main` dispatches to them by name and turns what they throw into one error line.
 */

import type { CliIo } from "../io";
import { allocateCommand } from "./allocate";
import { attributeCommand } from "./attribute";
import { clvCommand } from "./clv";
import { demoCommand } from "./demo";
import { reportCommand } from "./report";
import { rfmCommand } from "./rfm";
import { sqlCommand } from "./sql";

/** One `imc` command. */
export interface Command {
  /** The word after `imc`, e.g. `clv`. */
  readonly name: string;
  /** One line for `imc --help`. */
  readonly summary: string;
  /** The full `--help` text, ending with a newline. */
  readonly help: string;
  /**
   * Runs the command.
   * @param args the words after the command name.
   * @param io streams, working directory, clock.
   * @returns the exit code (0 on success); errors may be thrown (CliError, EngineError) for `main` to report.
   */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Every command, in the order `imc --help` lists them. */
export const COMMANDS: Command[] = [demoCommand, reportCommand, clvCommand, attributeCommand, rfmCommand, allocateCommand, sqlCommand];
