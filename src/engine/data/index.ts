/**
 * The engine's data layer: Excel cell values -> typed columns with row-numbered problems, and
 * Excel's 1900 date system. Engine features import from here, not from the files behind it.
 */

export type { CalendarDate } from "./dates";
export {
  MAX_SERIAL,
  calendarToSerial,
  epochDayToSerial,
  formatSerial,
  parseDateText,
  serialToCalendar,
  serialToEpochDay,
} from "./dates";
export {
  isBlankCell,
  toBoolean,
  toDateSerial,
  toNumber,
  toOptionalBoolean,
  toOptionalDateSerial,
  toOptionalNumber,
  toOptionalText,
  toText,
} from "./cells";
export type { AlignedColumn, Range } from "./range";
export type { TransactionArgumentNames, Transactions } from "./transactions";
export { DEFAULT_TRANSACTION_ARGUMENTS, readTransactions } from "./transactions";
export { alignRows, dateColumn, numberColumn, optionalNumberColumn, shapeOf, textColumn, toColumn } from "./range";
export type { BroadcastArgument, BroadcastGrid, BroadcastPlan } from "./broadcast";
export { cellOf, planBroadcast, sourcePosition } from "./broadcast";
