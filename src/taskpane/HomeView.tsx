/**
 * Home view: the wizards first (one card each: what tab it makes from what data), the A/B test
 * panel, then the catalogue of IMC custom functions with a search box, grouped by category, each
 * with an example the user can insert into the selected cell.
 */
import { useState } from "react";
import {
  Button,
  Card,
  CardHeader,
  Field,
  SearchBox,
  Subtitle1,
  Subtitle2,
  Text,
  Tooltip,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { TableCellEditRegular } from "@fluentui/react-icons";
import { FUNCTION_CATALOGUE, type CatalogueEntry } from "../catalogue/functions";
import type { WorkbookPort } from "../excel/workbook";
import { AbTestPanel } from "./AbTestPanel";
import { errorMessage } from "./errorMessage";
import { WIZARDS, type WizardId } from "./wizards/definitions";

export interface HomeViewProps {
  /** The workbook to insert into; `undefined` outside Excel, which disables every Insert button. */
  readonly workbook: WorkbookPort | undefined;
  /** The functions to list; the build's catalogue unless a caller narrows it. */
  readonly entries?: readonly CatalogueEntry[];
  /** Opens a wizard; without it (or outside Excel) the wizards' Start buttons are disabled. */
  readonly onStartWizard?: (id: WizardId) => void;
}

interface InsertStatus {
  readonly intent: "success" | "error";
  readonly title: string;
  readonly text: string;
}


/** Examples longer than this (characters) are folded under a summary line. */
const LONG_EXAMPLE = 90;
const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXL,
    minWidth: 0,
  },
  part: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalM,
    minWidth: 0,
  },
  partHeading: {
    margin: 0,
  },
  category: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
  },
  categoryHeading: {
    margin: 0,
  },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
  },
  cardHeading: {
    margin: 0,
  },
  signature: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    overflowWrap: "anywhere",
  },
  example: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXS,
  },
  formula: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusSmall,
    paddingInline: tokens.spacingHorizontalXS,
    overflowWrap: "anywhere",
  },
  actions: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    justifyContent: "flex-end",
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXS,
  },
  statusOk: {
    color: tokens.colorPaletteGreenForeground1,
  },
  statusError: {
    color: tokens.colorPaletteRedForeground1,
  },
});

/** True when an entry matches every word of the search text (name, summary, category, signature). */
function matches(entry: CatalogueEntry, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter((word) => word !== "");
  const text = `${entry.name} ${entry.summary} ${entry.category} ${entry.signature}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

/** Categories in the order they first appear in the catalogue, each with its entries. */
function groupByCategory(entries: readonly CatalogueEntry[]): [CatalogueEntry["category"], CatalogueEntry[]][] {
  const groups = new Map<CatalogueEntry["category"], CatalogueEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.category);
    if (group) group.push(entry);
    else groups.set(entry.category, [entry]);
  }
  return [...groups];
}

function headingId(category: string): string {
  return `imc-category-${category.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

export function HomeView({ workbook, entries = FUNCTION_CATALOGUE, onStartWizard }: HomeViewProps) {
  const styles = useStyles();
  const [pending, setPending] = useState<ReadonlySet<string>>(() => new Set());
  const [status, setStatus] = useState<ReadonlyMap<string, InsertStatus>>(() => new Map());
  const [search, setSearch] = useState("");
  const shown = entries.filter((entry) => matches(entry, search));

  async function insertExample(entry: CatalogueEntry): Promise<void> {
    if (!workbook) return;
    setPending((current) => new Set(current).add(entry.name));
    const report = (next: InsertStatus) => setStatus((current) => new Map(current).set(entry.name, next));
    try {
      const { address } = await workbook.insertFormula(entry.example);
      report({ intent: "success", title: `Inserted ${entry.name}`, text: `${entry.example} is now in ${address}.` });
    } catch (error) {
      report({ intent: "error", title: `Could not insert ${entry.name}`, text: errorMessage(error) });
    } finally {
      setPending((current) => {
        const next = new Set(current);
        next.delete(entry.name);
        return next;
      });
    }
  }

  return (
    <div className={styles.root}>
      <section className={styles.part} aria-labelledby="imc-home-wizards">
        <Subtitle1 as="h2" id="imc-home-wizards" className={styles.partHeading}>
          Generate tabs
        </Subtitle1>
        <Text>Each wizard reads your tables, asks what matters, and adds a new tab; your own sheets are never changed.</Text>
        <ul className={styles.list}>
          {WIZARDS.map((wizard) => (
            <li key={wizard.id}>
              <Card>
                <CardHeader
                  header={
                    <Text as="h3" weight="semibold" className={styles.cardHeading}>
                      {wizard.title}
                    </Text>
                  }
                />
                <Text>{wizard.summary}</Text>
                <div className={styles.actions}>
                  <Button appearance="primary" disabled={!workbook || !onStartWizard} aria-label={`Start the ${wizard.title} wizard`} onClick={() => onStartWizard?.(wizard.id)}>
                    Start
                  </Button>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      </section>

      <section className={styles.part} aria-labelledby="imc-home-abtest">
        <Subtitle1 as="h2" id="imc-home-abtest" className={styles.partHeading}>
          A/B test
        </Subtitle1>
        <Card>
          <AbTestPanel workbook={workbook} />
        </Card>
      </section>

      <section className={styles.part} aria-labelledby="imc-home-functions">
        <Subtitle1 as="h2" id="imc-home-functions" className={styles.partHeading}>
          Functions
        </Subtitle1>
        <Field label="Search functions" hint="By name or by what it does, e.g. clv, budget, attribution.">
          <SearchBox value={search} onChange={(_, data) => setSearch(data.value)} />
        </Field>
        {shown.length === 0 && <Text role="status">No function matches “{search.trim()}”.</Text>}
        {groupByCategory(shown).map(([category, group]) => (
          <section key={category} className={styles.category} aria-labelledby={headingId(category)}>
            <Subtitle2 as="h3" id={headingId(category)} className={styles.categoryHeading}>
              {category}
            </Subtitle2>
            <ul className={styles.list}>
              {group.map((entry) => {
                const entryStatus = status.get(entry.name);
                return (
                  <li key={entry.name}>
                    <Card>
                      <CardHeader
                        header={
                          <Text as="h4" weight="semibold" className={styles.cardHeading}>
                            {entry.name}
                          </Text>
                        }
                        description={<code className={styles.signature}>{entry.signature}</code>}
                      />
                      <Text>{entry.summary}</Text>
                      <Text>
                        <strong>Returns</strong> {entry.returns}
                      </Text>
                      <div className={styles.example}>
                        {entry.example.length <= LONG_EXAMPLE ? (
                          <>
                            <Text>Example:</Text>
                            <code className={styles.formula}>{entry.example}</code>
                          </>
                        ) : (
                          // Examples over whole order lists are arrays of dates and values: folded, so the gallery stays readable.
                          <details>
                            <summary>Example on a small order list (show the formula)</summary>
                            <code className={styles.formula}>{entry.example}</code>
                          </details>
                        )}
                        <Text>
                          its first cell shows <strong>{entry.exampleResult}</strong>
                        </Text>
                      </div>
                      <div className={styles.actions}>
                        <Text role="status" className={entryStatus?.intent === "error" ? styles.statusError : styles.statusOk}>
                          {entryStatus ? `${entryStatus.title}: ${entryStatus.text}` : ""}
                        </Text>
                        <Tooltip
                          content={`Write ${entry.example} into the selected cell (the top-left cell of a block)`}
                          relationship="description"
                        >
                          <Button
                            appearance="primary"
                            icon={<TableCellEditRegular />}
                            aria-label={`Insert example of ${entry.name}`}
                            disabled={!workbook || pending.has(entry.name)}
                            onClick={() => void insertExample(entry)}
                          >
                            Insert
                          </Button>
                        </Tooltip>
                      </div>
                    </Card>
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </section>
    </div>
  );
}
