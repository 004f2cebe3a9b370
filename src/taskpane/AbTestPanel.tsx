/**
 * The A/B test panel: conversions and visitors of two variants give the test's result as you type
 * (the engine behind IMC.ABTEST), a planned test's rates give the visitors it needs (IMC.SAMPLESIZE);
 * either can be inserted as a formula into the selected cell.
 */
import { useState } from "react";
import { Button, Field, Input, Text, makeStyles, tokens } from "@fluentui/react-components";
import { isEngineError } from "../engine/errors";
import { abTest, formatPValue, type AbTestField, type AbTestResult } from "../engine/experiments/abTest";
import { sampleSizePerArm, type SampleSizeField } from "../engine/experiments/sampleSize";
import type { WorkbookPort } from "../excel/workbook";
import { errorMessage } from "./errorMessage";
import { numberOf } from "./wizards/optionsForm";

export interface AbTestPanelProps {
  /** Where Insert writes; `undefined` outside Excel (the buttons are disabled). */
  readonly workbook: WorkbookPort | undefined;
}

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  grid: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(120px, 1fr))",
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalS,
    // An input is as wide as its 20 characters by default: at 350 px the second column ran 54 px
    // out of the card. Fields and inputs take their column's width instead.
    "& > *, & .fui-Input, & input": { minWidth: 0, maxWidth: "100%" },
  },
  result: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXXS },
  formula: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: "anywhere" },
  actions: { display: "flex", flexWrap: "wrap", alignItems: "center", columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXS },
  heading: { margin: 0 },
});

const AB_LABELS: Readonly<Record<AbTestField, string>> = {
  conversionsA: "Conversions A",
  visitorsA: "Visitors A",
  conversionsB: "Conversions B",
  visitorsB: "Visitors B",
  confidence: "Confidence",
};

const SIZE_LABELS: Readonly<Record<SampleSizeField, string>> = {
  baselineRate: "Baseline rate",
  expectedRate: "Expected rate",
  confidence: "Confidence",
  power: "Power",
};

function percent(share: number, digits = 2): string {
  return `${(share * 100).toFixed(digits)}%`;
}

function signedPercent(share: number): string {
  return `${share >= 0 ? "+" : "−"}${percent(Math.abs(share))}`;
}

/** The engine's message without its function name ("abTest: visitors of A must…" → "visitors of A must…"). */
function problemOf(error: unknown): string {
  return errorMessage(error).replace(/^[A-Za-z]+: /, "");
}

type Outcome<T, F extends string> = { readonly value: T } | { readonly field: F | null; readonly message: string };

function readNumbers<F extends string>(text: Readonly<Record<F, string>>, labels: Readonly<Record<F, string>>): Outcome<Record<F, number>, F> {
  const out = {} as Record<F, number>;
  for (const field of Object.keys(labels) as F[]) {
    const value = numberOf(text[field]);
    if (value === null || Number.isNaN(value)) {
      return { field, message: value === null ? "Enter a number." : `"${text[field].trim()}" is not a number.` };
    }
    out[field] = value;
  }
  return { value: out };
}

function runAbTest(text: Record<AbTestField, string>): Outcome<AbTestResult, AbTestField> {
  const numbers = readNumbers(text, AB_LABELS);
  if (!("value" in numbers)) return numbers;
  try {
    return { value: abTest(numbers.value) };
  } catch (error) {
    if (!isEngineError(error)) throw error;
    return { field: (error.argument as AbTestField | undefined) ?? null, message: problemOf(error) };
  }
}

function runSampleSize(text: Record<SampleSizeField, string>): Outcome<number, SampleSizeField> {
  const numbers = readNumbers(text, SIZE_LABELS);
  if (!("value" in numbers)) return numbers;
  try {
    return { value: sampleSizePerArm(numbers.value) };
  } catch (error) {
    if (!isEngineError(error)) throw error;
    return { field: (error.argument as SampleSizeField | undefined) ?? null, message: problemOf(error) };
  }
}

/** A number as a formula argument: as typed when plain, else the value read ("5%" → 0.05). */
function argument(text: string): string {
  const value = numberOf(text);
  return value === null ? "" : String(value);
}

export function AbTestPanel({ workbook }: AbTestPanelProps) {
  const styles = useStyles();
  const [ab, setAb] = useState<Record<AbTestField, string>>({ conversionsA: "250", visitorsA: "5000", conversionsB: "295", visitorsB: "5000", confidence: "0.95" });
  const [size, setSize] = useState<Record<SampleSizeField, string>>({ baselineRate: "0.05", expectedRate: "0.06", confidence: "0.95", power: "0.8" });
  const [status, setStatus] = useState<Partial<Record<"ab" | "size", { ok: boolean; text: string }>>>({});
  const abOutcome = runAbTest(ab);
  const sizeOutcome = runSampleSize(size);

  const abFormula = `=IMC.ABTEST(${argument(ab.conversionsA)}, ${argument(ab.visitorsA)}, ${argument(ab.conversionsB)}, ${argument(ab.visitorsB)}${numberOf(ab.confidence) === 0.95 ? "" : `, ${argument(ab.confidence)}`})`;
  const confidenceShown = numberOf(size.confidence) === 0.95 && numberOf(size.power) === 0.8;
  const sizeFormula = `=IMC.SAMPLESIZE(${argument(size.baselineRate)}, ${argument(size.expectedRate)}${confidenceShown ? "" : `, ${argument(size.confidence)}, ${argument(size.power)}`})`;

  async function insert(which: "ab" | "size", formula: string): Promise<void> {
    if (!workbook) return;
    try {
      const { address } = await workbook.insertFormula(formula);
      setStatus((current) => ({ ...current, [which]: { ok: true, text: `Inserted in ${address}.` } }));
    } catch (error) {
      setStatus((current) => ({ ...current, [which]: { ok: false, text: `Could not insert: ${errorMessage(error)}` } }));
    }
  }

  const abError = "value" in abOutcome ? null : abOutcome;
  const sizeError = "value" in sizeOutcome ? null : sizeOutcome;

  return (
    <div className={styles.root}>
      <Text weight="semibold" as="h3" className={styles.heading}>
        Compare two variants
      </Text>
      <div className={styles.grid}>
        {(Object.keys(AB_LABELS) as AbTestField[]).map((field) => (
          <Field
            key={field}
            label={AB_LABELS[field]}
            hint={field === "confidence" ? "0.95 for 95%" : undefined}
            validationState={abError?.field === field ? "error" : "none"}
            validationMessage={abError?.field === field ? abError.message : undefined}
          >
            <Input inputMode="decimal" value={ab[field]} onChange={(_, data) => setAb((current) => ({ ...current, [field]: data.value }))} />
          </Field>
        ))}
      </div>
      <div className={styles.result} role="status" aria-label="A/B test result">
        {"value" in abOutcome ? (
          <>
            <Text>
              A converts {percent(abOutcome.value.rateA)}, B {percent(abOutcome.value.rateB)}
              {abOutcome.value.relativeLift === null ? "" : ` (${signedPercent(abOutcome.value.relativeLift)} relative)`}; p-value{" "}
              {formatPValue(abOutcome.value.pValue, abOutcome.value.alpha)}.
            </Text>
            <Text weight="semibold">{abOutcome.value.verdict}</Text>
          </>
        ) : (
          abOutcome.field === null && <Text>{abOutcome.message}</Text>
        )}
      </div>
      <div className={styles.actions}>
        <code className={styles.formula}>{abFormula}</code>
        <Button disabled={!workbook || abError !== null} onClick={() => void insert("ab", abFormula)}>
          Insert IMC.ABTEST
        </Button>
        {status.ab && <Text role="status">{status.ab.text}</Text>}
      </div>

      <Text weight="semibold" as="h3" className={styles.heading}>
        Plan a test
      </Text>
      <div className={styles.grid}>
        {(Object.keys(SIZE_LABELS) as SampleSizeField[]).map((field) => (
          <Field
            key={field}
            label={`${SIZE_LABELS[field]}${field === "confidence" ? " (plan)" : ""}`}
            hint={field === "baselineRate" ? "0.05 or 5%" : field === "expectedRate" ? "the rate to detect" : field === "power" ? "0.8 for 80%" : "0.95 for 95%"}
            validationState={sizeError?.field === field ? "error" : "none"}
            validationMessage={sizeError?.field === field ? sizeError.message : undefined}
          >
            <Input inputMode="decimal" value={size[field]} onChange={(_, data) => setSize((current) => ({ ...current, [field]: data.value }))} />
          </Field>
        ))}
      </div>
      <div className={styles.result} role="status" aria-label="Sample size result">
        {"value" in sizeOutcome ? (
          <Text weight="semibold">{sizeOutcome.value.toLocaleString("en-US")} visitors per variant</Text>
        ) : (
          sizeOutcome.field === null && <Text>{sizeOutcome.message}</Text>
        )}
      </div>
      <div className={styles.actions}>
        <code className={styles.formula}>{sizeFormula}</code>
        <Button disabled={!workbook || sizeError !== null} onClick={() => void insert("size", sizeFormula)}>
          Insert IMC.SAMPLESIZE
        </Button>
        {status.size && <Text role="status">{status.size.text}</Text>}
      </div>
    </div>
  );
}
