/** The sample business's defaults (a module of its own so that the runner's help loads no generator). */

/** The default seed. */
export const DEFAULT_SEED = 20240101;
/** The default number of customers. */
export const DEFAULT_CUSTOMERS = 20_000;
/** The largest number of customers accepted. */
export const MAX_CUSTOMERS = 1_000_000;
