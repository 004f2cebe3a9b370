/**
 * One wizard: Data (the tables found and their columns) → Options → Generate (progress, cancel) →
 * Done (the new tabs' headline numbers, what was skipped and why). Loaded on demand from the home
 * view; talks to the workbook through the {@link WorkbookPort} and to the analysis engine through
 * an {@link Engine} (a Web Worker), never to Office itself.
 */
import { useEffect, useRef, useState } from "react";
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Select,
  Spinner,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
  typographyStyles,
} from "@fluentui/react-components";
import type { DetectionOverrides, ReadingOptions, SheetCells, TableKind } from "../../reports/detect";
import type { TabId } from "../../reports/tabIds";
import { WriteCancelled, type WorkbookPort, type WriteResult } from "../../excel/workbook";
import { errorMessage } from "../errorMessage";
import type { Engine } from "../worker/client";
import type { BuildResult, Inspection, TableInspection } from "../worker/protocol";
import { TABLE_NAMES, type WizardDefinition } from "./definitions";
import { DEFAULT_OPTIONS_TEXT, GROUP_FIELDS, readOptions, type OptionField, type OptionsText } from "./optionsForm";

export interface WizardViewProps {
  readonly wizard: WizardDefinition;
  readonly workbook: WorkbookPort;
  readonly engine: Engine;
  /** The clock, for the tabs' generation time. */
  readonly now: () => Date;
  /** Back to the home view. */
  readonly onClose: () => void;
}

type Step = "data" | "options" | "generate" | "done";
const STEP_TITLES: Readonly<Record<Step, string>> = { data: "Data", options: "Options", generate: "Generate", done: "Done" };

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  steps: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, listStyleType: "none", margin: 0, padding: 0 },
  step: { color: tokens.colorNeutralForeground3 },
  current: { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
  heading: { margin: 0 },
  stepHeading: { ...typographyStyles.subtitle1, margin: 0 },
  section: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    minWidth: 0,
    // A select is as wide as its longest option ("Partly hidden (j***@example.com)"): at 350 px it
    // stuck out of its box. Fields and selects take the box's width instead.
    "& .fui-Field, & .fui-Select, & select": { minWidth: 0, maxWidth: "100%" },
  },
  previewWrap: { overflowX: "auto", maxWidth: "100%" },
  preview: {
    borderCollapse: "collapse",
    fontSize: tokens.fontSizeBase200,
    "& th, & td": { border: `1px solid ${tokens.colorNeutralStroke2}`, padding: `2px ${tokens.spacingHorizontalXS}`, textAlign: "left", whiteSpace: "nowrap" },
    "& caption": { textAlign: "left", color: tokens.colorNeutralForeground2, paddingBottom: tokens.spacingVerticalXXS },
  },
  muted: { color: tokens.colorNeutralForeground2 },
  actions: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalS, justifyContent: "flex-end" },
  headlines: { margin: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  headlineValue: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  headlineSentence: { margin: 0, color: tokens.colorNeutralForeground2 },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL },
});

/** A sheet's cells with one sheet replaced (the selection used instead of the whole sheet). */
function withSheet(sheets: readonly SheetCells[], cells: SheetCells): SheetCells[] {
  const others = sheets.filter((sheet) => sheet.name !== cells.name);
  return [...others, cells];
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

const FIELD_TEXT: Readonly<Record<OptionField, { label: string; hint: string }>> = {
  model: { label: "Purchase model", hint: "How repeat purchases are predicted. Automatic fits BG/NBD, MBG/NBD and Pareto/NBD and keeps the best by log-likelihood." },
  period: { label: "Time unit", hint: "The unit of the purchase model's clock and of the horizon." },
  horizon: { label: "Horizon", hint: "How far ahead customer value is counted, in time units (52 weeks = a year)." },
  discount: { label: "Discount rate", hint: "Yearly rate that future value is discounted at, e.g. 0.1 or 10%." },
  mask: { label: "Personal data", hint: "Names, emails and phones in the Segmentation tab: left out, or shown masked." },
  salt: { label: "Salt", hint: "A secret text for hashing: the same salt gives the same hashes, so tabs can be joined without showing the data." },
  growth: { label: "Revenue growth target", hint: "Next 12 months' revenue over the last 12 months', e.g. 0.1 or 10%." },
  targetRevenue: { label: "Revenue target", hint: "Revenue of the next 12 months, in the data's currency; replaces the growth target. Blank: use the growth target." },
  cac: { label: "Cost of acquiring a customer", hint: "In the data's currency. Blank: the last 12 months' spend divided by the new customers (needs a spend table)." },
  margin: { label: "Gross margin", hint: "Share of revenue left after the cost of goods, e.g. 0.4 or 40%, for the payback check. Blank: no payback check." },
  lookback: { label: "Look-back window (days)", hint: "Touches count for a conversion when at most this many days before it." },
  halfLife: { label: "Half-life (days)", hint: "Time-decay model: a touch this many days older gets half the credit." },
};

const CHOICES: Partial<Record<OptionField, readonly (readonly [string, string])[]>> = {
  model: [
    ["auto", "Automatic (best fit)"],
    ["bgnbd", "BG/NBD"],
    ["mbgnbd", "MBG/NBD"],
    ["pareto", "Pareto/NBD"],
  ],
  period: [
    ["day", "Days"],
    ["week", "Weeks"],
    ["month", "Months"],
  ],
  mask: [
    ["", "Leave out"],
    ["hash", "Hashed (with the salt)"],
    ["partial", "Partly hidden (j***@example.com)"],
    ["redact", "Redacted"],
  ],
};

interface Written {
  readonly tabs: readonly WriteResult[];
  readonly result: BuildResult;
}

export function WizardView({ wizard, workbook, engine, now, onClose }: WizardViewProps) {
  const styles = useStyles();
  const [step, setStep] = useState<Step>("data");
  const [sheets, setSheets] = useState<readonly SheetCells[] | null>(null);
  const [loading, setLoading] = useState<string | null>("Reading the workbook…");
  const [loadError, setLoadError] = useState<string | null>(null);
  const [overrides, setOverrides] = useState<DetectionOverrides>({});
  const [reading, setReading] = useState<ReadingOptions>({});
  const [inspection, setInspection] = useState<Inspection | null>(null);
  const [optionsText, setOptionsText] = useState<OptionsText>(DEFAULT_OPTIONS_TEXT);
  const [progress, setProgress] = useState<{ value: number; message: string }>({ value: 0, message: "" });
  const [runError, setRunError] = useState<{ title: string; text: string } | null>(null);
  const [written, setWritten] = useState<Written | null>(null);
  const [activateError, setActivateError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // Read every sheet once; detection runs in the worker.
  useEffect(() => {
    let live = true;
    (async () => {
      const sources = (await workbook.listSources()).filter((source) => source.ref.kind === "sheet");
      const read: SheetCells[] = [];
      for (const [index, source] of sources.entries()) {
        if (!live) return;
        setLoading(`Reading ${source.label} (${index + 1} of ${sources.length})…`);
        read.push(await workbook.readSource(source.ref));
      }
      if (live) setSheets(read);
    })().catch((error: unknown) => {
      if (live) setLoadError(errorMessage(error));
    });
    return () => {
      live = false;
    };
  }, [workbook]);

  // Detect again whenever the sheets or the user's choices change.
  useEffect(() => {
    if (sheets === null) return;
    let live = true;
    setLoading("Finding the tables…");
    engine
      .inspect({ sheets, overrides, reading })
      .then((found) => {
        if (!live) return;
        setInspection(found);
        setLoadError(null);
        setLoading(null);
      })
      .catch((error: unknown) => {
        if (!live) return;
        setLoadError(errorMessage(error));
        setLoading(null);
      });
    return () => {
      live = false;
    };
  }, [engine, sheets, overrides, reading]);

  // Keyboard and screen-reader users land on the new step's heading.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step]);

  useEffect(() => () => abort.current?.abort(), []);

  const shownTables = (inspection?.tables ?? []).filter((table) => wizard.tables.includes(table.kind));
  const foundKinds = new Set(shownTables.map((table) => table.kind));
  const missingRequired = wizard.tabs === null ? (wizard.required.some((kind) => foundKinds.has(kind)) ? [] : wizard.required) : wizard.required.filter((kind) => !foundKinds.has(kind));
  const dataReady = inspection !== null && inspection.error === undefined && missingRequired.length === 0 && loading === null;
  const read = readOptions(optionsText, wizard.options);
  const optionErrors = Object.keys(read.errors).length;

  function chooseSheet(kind: TableKind, sheet: string): void {
    setOverrides((current) => {
      const sheetsGiven = { ...current.sheets };
      const columns = { ...current.columns };
      delete columns[kind];
      if (sheet === "") delete sheetsGiven[kind];
      else sheetsGiven[kind] = sheet;
      return { ...current, sheets: sheetsGiven, columns };
    });
  }

  function chooseColumn(table: TableInspection, role: string, column: number): void {
    setOverrides((current) => ({
      ...current,
      sheets: { ...current.sheets, [table.kind]: table.sheet },
      columns: { ...current.columns, [table.kind]: { ...current.columns?.[table.kind], [role]: table.headers[column] } },
    }));
  }

  async function takeSelection(kind: TableKind): Promise<void> {
    try {
      setLoading("Reading the selection…");
      const cells = await workbook.readSource({ kind: "selection" });
      setSheets((current) => withSheet(current ?? [], cells));
      setOverrides((current) => {
        const columns = { ...current.columns };
        delete columns[kind];
        return { ...current, sheets: { ...current.sheets, [kind]: cells.name }, columns };
      });
    } catch (error) {
      setLoading(null);
      setLoadError(errorMessage(error));
    }
  }

  async function generate(): Promise<void> {
    if (sheets === null) return;
    const controller = new AbortController();
    abort.current = controller;
    setRunError(null);
    setWritten(null);
    setActivateError(null);
    setStep("generate");
    setProgress({ value: 0, message: "Starting the analysis…" });
    const tabs: WriteResult[] = [];
    try {
      const result = await engine.build(
        { sheets, overrides, reading, options: read.options, generatedAt: now().toISOString(), tabs: wizard.tabs },
        { signal: controller.signal, onProgress: (done, message) => setProgress({ value: 0.5 * done, message }) },
      );
      if (result.tabs.length === 0) {
        const reasons = result.skipped.map((entry) => `${entry.title}: ${entry.reason}`).join("; ");
        throw new Error(`No tab could be built from this data${reasons ? ` (${reasons})` : ""}.`);
      }
      // The Scorecard reads the other tabs by formula, so it is written last, once their sheet names
      // are known, and placed before them: the workbook shows it first and opens on it.
      const order = [...result.tabs.filter((sheet) => sheet.tab !== "scorecard"), ...result.tabs.filter((sheet) => sheet.tab === "scorecard")];
      const tabNames = new Map<TabId, string>();
      for (const [index, sheet] of order.entries()) {
        if (controller.signal.aborted) throw new WriteCancelled();
        const share = (done: number) => 0.5 + (0.5 * (index + done)) / order.length;
        setProgress({ value: share(0), message: `Writing the ${sheet.name} tab (${index + 1} of ${order.length})…` });
        const scorecard = sheet.tab === "scorecard";
        const firstOther = tabs[0]?.sheetName;
        const written = await workbook.writeReport(sheet, {
          signal: controller.signal,
          activate: false,
          tabNames,
          ...(scorecard && firstOther !== undefined ? { before: firstOther } : {}),
          onProgress: (done, message) => setProgress({ value: share(done), message: `${sheet.name}: ${message}` }),
        });
        if (sheet.tab !== undefined) tabNames.set(sheet.tab, written.sheetName);
        if (scorecard) tabs.unshift(written);
        else tabs.push(written);
      }
      setProgress({ value: 1, message: "Done" });
      setWritten({ tabs, result });
      setStep("done");
      try {
        await workbook.activateSheet(tabs[0].sheetName);
      } catch (error) {
        setActivateError(errorMessage(error));
      }
    } catch (error) {
      // All or nothing across the tabs: the tabs this run already wrote go too (writeReport has
      // removed the one it was writing).
      const names = tabs.map((tab) => tab.sheetName);
      const removed = names.length === 0 ? "" : ` ${await removeWritten(names)}`;
      // The bar no longer says "Deleting…" nor stands at the share reached.
      setProgress({ value: 0, message: "Stopped" });
      if (error instanceof WriteCancelled) {
        setRunError({ title: "Cancelled", text: names.length === 0 ? error.message : `Cancelled.${removed}` });
      } else {
        setRunError({ title: "The tabs could not be generated", text: `${errorMessage(error)}${removed}` });
      }
    } finally {
      abort.current = null;
    }
  }

  /** Deletes the tabs a failed or cancelled run wrote; says what became of them. */
  async function removeWritten(names: readonly string[]): Promise<string> {
    const list = names.map((name) => `“${name}”`).join(", ");
    setProgress((current) => ({ ...current, message: `Deleting the tabs of this run: ${list}…` }));
    try {
      await workbook.deleteSheets(names);
      return `The ${names.length === 1 ? "tab" : "tabs"} already written (${list}) ${names.length === 1 ? "was" : "were"} deleted: nothing of this run is left in the workbook.`;
    } catch (error) {
      return `The ${names.length === 1 ? "tab" : "tabs"} already written (${list}) could not be deleted (${errorMessage(error)}): delete ${names.length === 1 ? "it" : "them"} by hand.`;
    }
  }

  const stepHeading = (text: string) => (
    <h2 className={styles.stepHeading} ref={headingRef} tabIndex={-1}>
      {text}
    </h2>
  );

  const running = step === "generate" && runError === null;

  return (
    <section className={styles.root} aria-labelledby="imc-wizard-title">
      <Subtitle2 as="p" id="imc-wizard-title" className={styles.heading}>
        {wizard.title} wizard
      </Subtitle2>
      <ol className={styles.steps} aria-label="Steps">
        {(wizard.options.length === 0 ? (["data", "generate", "done"] as const) : (["data", "options", "generate", "done"] as const)).map((name, index) => (
          <li key={name} className={name === step ? styles.current : styles.step} aria-current={name === step ? "step" : undefined}>
            {index + 1}. {STEP_TITLES[name]}
          </li>
        ))}
      </ol>

      {step === "data" && (
        <>
          {stepHeading("Data")}
          <Text>Check the tables found in this workbook and the column read for each role.</Text>
          {loadError && (
            <MessageBar intent="error">
              <MessageBarBody>
                <MessageBarTitle>The workbook could not be read</MessageBarTitle>
                {loadError}
              </MessageBarBody>
            </MessageBar>
          )}
          {loading && !loadError && <Spinner size="tiny" label={loading} />}
          {inspection?.error && (
            <MessageBar intent="error">
              <MessageBarBody>
                <MessageBarTitle>That choice does not fit</MessageBarTitle>
                {inspection.error}
              </MessageBarBody>
            </MessageBar>
          )}
          {inspection &&
            wizard.tables.map((kind) => {
              const table = shownTables.find((candidate) => candidate.kind === kind);
              const needs = inspection.missing.find((entry) => entry.kind === kind)?.needs;
              return (
                <TableSection
                  key={kind}
                  kind={kind}
                  table={table}
                  needs={needs}
                  required={wizard.required.includes(kind) && wizard.tabs !== null}
                  sheetNames={inspection.sheets}
                  chosenSheet={overrides.sheets?.[kind] ?? ""}
                  onSheet={(sheet) => chooseSheet(kind, sheet)}
                  onColumn={(role, column) => table && chooseColumn(table, role, column)}
                  onSelection={() => void takeSelection(kind)}
                  busy={loading !== null}
                />
              );
            })}
          {inspection && (
            <fieldset className={styles.section}>
              <legend>Text in the data</legend>
              <Field label="Dates written as text" hint="Only for dates typed as text such as 03/04/2024, when no date in the column shows the order.">
                <Select
                  value={reading.dateOrder ?? ""}
                  disabled={loading !== null}
                  onChange={(_, data) => setReading((current) => ({ ...current, dateOrder: data.value === "" ? undefined : (data.value as ReadingOptions["dateOrder"]) }))}
                >
                  <option value="">As the column shows</option>
                  <option value="dmy">Day first (31/01/2024)</option>
                  <option value="mdy">Month first (01/31/2024)</option>
                </Select>
              </Field>
              <Field label="Decimal mark" hint="Only for amounts typed as text such as 1,234, when no amount in the column shows it.">
                <Select
                  value={reading.decimal ?? ""}
                  disabled={loading !== null}
                  onChange={(_, data) => setReading((current) => ({ ...current, decimal: data.value === "" ? undefined : (data.value as ReadingOptions["decimal"]) }))}
                >
                  <option value="">As the column shows</option>
                  <option value=".">Point (1,234.50)</option>
                  <option value=",">Comma (1.234,50)</option>
                </Select>
              </Field>
            </fieldset>
          )}
          {inspection && missingRequired.length > 0 && (
            <MessageBar intent="warning">
              <MessageBarBody>
                <MessageBarTitle>Data missing</MessageBarTitle>
                {wizard.tabs === null ? "The tabs need" : `The ${wizard.title} tab needs`}{" "}
                {missingRequired.map((kind) => TABLE_NAMES[kind].toLowerCase()).join(wizard.tabs === null ? " or " : " and ")}: pick a sheet above or select the data and
                use the selection.
              </MessageBarBody>
            </MessageBar>
          )}
          <div className={styles.actions}>
            <Button onClick={onClose}>Back to home</Button>
            <Button appearance="primary" disabled={!dataReady} onClick={() => (wizard.options.length === 0 ? void generate() : setStep("options"))}>
              {wizard.options.length === 0 ? "Generate" : "Next"}
            </Button>
          </div>
        </>
      )}

      {step === "options" && (
        <>
          {stepHeading("Options")}
          <Text>Only what matters for {wizard.tabs === null ? "these tabs" : "this tab"}; the defaults suit most data.</Text>
          {wizard.options.map((group) => (
            <fieldset key={group} className={styles.section}>
              <legend>{GROUP_LEGENDS[group]}</legend>
              {GROUP_FIELDS[group]
                .filter((field) => field !== "salt" || optionsText.mask === "hash")
                .map((field) => (
                  <OptionInput
                    key={field}
                    field={field}
                    value={optionsText[field]}
                    error={read.errors[field]}
                    onChange={(value) => setOptionsText((current) => ({ ...current, [field]: value }))}
                  />
                ))}
            </fieldset>
          ))}
          <div className={styles.actions}>
            <Button onClick={() => setStep("data")}>Back</Button>
            <Button appearance="primary" disabled={optionErrors > 0} onClick={() => void generate()}>
              Generate
            </Button>
          </div>
        </>
      )}

      {step === "generate" && (
        <>
          {stepHeading("Generate")}
          <Field label="Progress" validationState="none" validationMessage={progress.message} validationMessageIcon={null}>
            <ProgressBar value={progress.value} max={1} thickness="large" />
          </Field>
          {runError && (
            <MessageBar intent={runError.title === "Cancelled" ? "info" : "error"}>
              <MessageBarBody>
                <MessageBarTitle>{runError.title}</MessageBarTitle>
                {runError.text}
              </MessageBarBody>
            </MessageBar>
          )}
          <div className={styles.actions}>
            {running ? (
              <Button onClick={() => abort.current?.abort()}>Cancel</Button>
            ) : (
              <>
                <Button onClick={() => setStep("data")}>Back to the data</Button>
                {wizard.options.length > 0 && <Button onClick={() => setStep("options")}>Back to the options</Button>}
                <Button appearance="primary" onClick={() => void generate()}>
                  Try again
                </Button>
              </>
            )}
          </div>
        </>
      )}

      {step === "done" && written && (
        <>
          {stepHeading("Done")}
          <Text role="status">
            Added {written.tabs.map((tab) => `“${tab.sheetName}”`).join(", ")}
            {activateError ? "." : `; “${written.tabs[0].sheetName}” is now the active sheet.`}
          </Text>
          {activateError && (
            <MessageBar intent="warning">
              <MessageBarBody>Could not show the new tab: {activateError}</MessageBarBody>
            </MessageBar>
          )}
          {written.tabs.map((tab, index) => {
            const headlines = written.result.headlines[index]?.headlines ?? [];
            return (
              <section key={tab.sheetName} className={styles.section} aria-labelledby={`imc-done-${index}`}>
                <Subtitle2 as="h3" id={`imc-done-${index}`} className={styles.heading}>
                  {tab.sheetName}
                </Subtitle2>
                {headlines.length > 0 ? (
                  <dl className={styles.headlines} aria-label={`At a glance: ${tab.sheetName}`}>
                    {headlines.map((headline) => (
                      <div key={headline.label}>
                        <dt>{headline.label}</dt>
                        <dd className={styles.headlineValue}>{headline.value}</dd>
                        {headline.sentence && <dd className={styles.headlineSentence}>{headline.sentence}</dd>}
                      </div>
                    ))}
                  </dl>
                ) : (
                  <Text className={styles.muted}>This tab has no headline numbers; open it to read the tables.</Text>
                )}
                {tab.notes.length > 0 && (
                  <ul className={styles.list} aria-label={`Not written on ${tab.sheetName}`}>
                    {tab.notes.map((note) => (
                      <li key={note}>{note}</li>
                    ))}
                  </ul>
                )}
                <div className={styles.actions}>
                  <Button onClick={() => void workbook.activateSheet(tab.sheetName).catch((error: unknown) => setActivateError(errorMessage(error)))}>
                    Go to {tab.sheetName}
                  </Button>
                </div>
              </section>
            );
          })}
          {written.result.shortened.length > 0 && (
            <section className={styles.section} aria-labelledby="imc-done-shortened">
              <Subtitle2 as="h3" id="imc-done-shortened" className={styles.heading}>
                Shortened to fit a sheet
              </Subtitle2>
              <ul className={styles.list}>
                {written.result.shortened.map((entry) => (
                  <li key={entry.tab}>
                    The {entry.title} tab: {entry.note}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {written.result.skipped.length > 0 && (
            <section className={styles.section} aria-labelledby="imc-done-skipped">
              <Subtitle2 as="h3" id="imc-done-skipped" className={styles.heading}>
                Not built
              </Subtitle2>
              <ul className={styles.list}>
                {written.result.skipped.map((entry) => (
                  <li key={entry.tab}>
                    The {entry.title} tab, because {entry.reason}.
                  </li>
                ))}
              </ul>
            </section>
          )}
          <div className={styles.actions}>
            <Button appearance="primary" onClick={onClose}>
              Back to home
            </Button>
          </div>
        </>
      )}
    </section>
  );
}

const GROUP_LEGENDS: Readonly<Record<WizardDefinition["options"][number], string>> = {
  customerValue: "Customer value",
  privacy: "Personal data",
  budget: "Budget target and assumptions",
  attribution: "Attribution window",
};

function OptionInput({ field, value, error, onChange }: { field: OptionField; value: string; error?: string; onChange: (value: string) => void }) {
  const text = FIELD_TEXT[field];
  const choices = CHOICES[field];
  return (
    <Field label={text.label} hint={text.hint} validationMessage={error} validationState={error ? "error" : "none"}>
      {choices ? (
        <Select value={value} onChange={(_, data) => onChange(data.value)}>
          {choices.map(([choice, label]) => (
            <option key={choice} value={choice}>
              {label}
            </option>
          ))}
        </Select>
      ) : (
        <Input value={value} inputMode={field === "salt" ? "text" : "decimal"} onChange={(_, data) => onChange(data.value)} />
      )}
    </Field>
  );
}

interface TableSectionProps {
  readonly kind: TableKind;
  readonly table: TableInspection | undefined;
  readonly needs: string | undefined;
  readonly required: boolean;
  readonly sheetNames: readonly string[];
  readonly chosenSheet: string;
  readonly onSheet: (sheet: string) => void;
  readonly onColumn: (role: string, column: number) => void;
  readonly onSelection: () => void;
  readonly busy: boolean;
}

function TableSection({ kind, table, needs, required, sheetNames, chosenSheet, onSheet, onColumn, onSelection, busy }: TableSectionProps) {
  const styles = useStyles();
  const name = TABLE_NAMES[kind];
  const headingId = `imc-table-${kind}`;
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Subtitle2 as="h3" id={headingId} className={styles.heading}>
        {name}
        {required ? "" : " (optional)"}
      </Subtitle2>
      <Field label={`${name} sheet`} hint={table ? table.description : needs ? `Not found: ${needs}.` : undefined}>
        <Select value={chosenSheet} disabled={busy} onChange={(_, data) => onSheet(data.value)}>
          <option value="">{table ? `Found: ${table.sheet}` : "Not found"}</option>
          {sheetNames.map((sheet) => (
            <option key={sheet} value={sheet}>
              {sheet}
            </option>
          ))}
        </Select>
      </Field>
      <div className={styles.actions}>
        <Button size="small" disabled={busy} onClick={onSelection} aria-label={`Use the selection as the ${name.toLowerCase()} table`}>
          Use the selection
        </Button>
      </div>
      {table?.error && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>This table cannot be read</MessageBarTitle>
            {table.error}
          </MessageBarBody>
        </MessageBar>
      )}
      {table &&
        table.roles.map((role) => {
          const refused = table.reasons.find((reason) => role.column !== null && reason.includes(`, ${table.headers[role.column] || role.label}: `));
          return (
            <Field
              key={role.role}
              label={`${role.label} column`}
              validationState={refused ? "warning" : "none"}
              validationMessage={refused}
            >
              <Select value={role.column === null ? "" : String(role.column)} disabled={busy} onChange={(_, data) => data.value !== "" && onColumn(role.role, Number(data.value))}>
                {role.column === null && <option value="">None</option>}
                {table.headers.map((header, index) =>
                  header === "" ? null : (
                    <option key={index} value={String(index)}>
                      {header}
                    </option>
                  ),
                )}
              </Select>
            </Field>
          );
        })}
      {table && (
        <>
          <Text>
            {count(table.rowsRead, "row")} read · {count(table.rowsSkipped, "row")} skipped · {count(table.rowsRefused, "row")} refused
          </Text>
          {table.rowsRefused > 0 && (
            <MessageBar intent="warning">
              <MessageBarBody>
                <MessageBarTitle>{count(table.rowsRefused, "row")} cannot be read</MessageBarTitle>
                The analysis stops at the first; correct the cells or pick another column.
                <ul className={styles.list}>
                  {table.reasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
              </MessageBarBody>
            </MessageBar>
          )}
          {table.notes.length > 0 && (
            <ul className={styles.list} aria-label={`How the ${name.toLowerCase()} were read`}>
              {table.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
          {table.preview.rows.length > 0 && (
            <div className={styles.previewWrap} tabIndex={0} role="group" aria-label={`First rows of ${name} as read`}>
              <table className={styles.preview}>
                <caption>First rows as read</caption>
                <thead>
                  <tr>
                    {table.preview.headers.map((header) => (
                      <th key={header} scope="col">
                        {header}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.preview.rows.map((row, r) => (
                    <tr key={r}>
                      {row.map((cell, c) => (
                        <td key={c}>{cell}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

export default WizardView;
