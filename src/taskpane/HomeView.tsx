/**
 * Home view: the catalogue of IMC custom functions, grouped by category, each with an example
 * the user can insert into the selected cell.
 */
import { useState } from "react";
import {
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Text,
  Tooltip,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { TableCellEditRegular } from "@fluentui/react-icons";
import { FUNCTION_CATALOGUE, type CatalogueEntry } from "../catalogue/functions";
import type { WorkbookPort } from "../excel/workbook";
import { errorMessage } from "./errorMessage";

export interface HomeViewProps {
  /** The workbook to insert into; `undefined` outside Excel, which disables every Insert button. */
  readonly workbook: WorkbookPort | undefined;
  /** The functions to list; the build's catalogue unless a caller narrows it. */
  readonly entries?: readonly CatalogueEntry[];
}

interface InsertStatus {
  readonly intent: "success" | "error";
  readonly title: string;
  readonly text: string;
}

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalL,
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
    justifyContent: "flex-end",
  },
});

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

export function HomeView({ workbook, entries = FUNCTION_CATALOGUE }: HomeViewProps) {
  const styles = useStyles();
  const [pending, setPending] = useState<ReadonlySet<string>>(() => new Set());
  const [status, setStatus] = useState<InsertStatus | undefined>(undefined);

  async function insertExample(entry: CatalogueEntry): Promise<void> {
    if (!workbook) return;
    setPending((current) => new Set(current).add(entry.name));
    setStatus(undefined);
    try {
      const { address } = await workbook.insertFormula(entry.example);
      setStatus({ intent: "success", title: `Inserted ${entry.name}`, text: `${entry.example} is now in ${address}.` });
    } catch (error) {
      setStatus({ intent: "error", title: `Could not insert ${entry.name}`, text: errorMessage(error) });
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
      {status && (
        <MessageBar intent={status.intent}>
          <MessageBarBody>
            <MessageBarTitle>{status.title}</MessageBarTitle>
            {status.text}
          </MessageBarBody>
        </MessageBar>
      )}

      {groupByCategory(entries).map(([category, group]) => (
        <section key={category} className={styles.category} aria-labelledby={headingId(category)}>
          <Subtitle2 as="h2" id={headingId(category)} className={styles.categoryHeading}>
            {category}
          </Subtitle2>
          <ul className={styles.list}>
            {group.map((entry) => (
              <li key={entry.name}>
                <Card>
                  <CardHeader
                    header={
                      <Text as="h3" weight="semibold" className={styles.cardHeading}>
                        {entry.name}
                      </Text>
                    }
                    description={<code className={styles.signature}>{entry.signature}</code>}
                  />
                  <Text>{entry.summary}</Text>
                  <div className={styles.example}>
                    <Text>Example:</Text>
                    <code className={styles.formula}>{entry.example}</code>
                    <Text>
                      returns <strong>{entry.exampleResult}</strong>
                    </Text>
                  </div>
                  <div className={styles.actions}>
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
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
