/**
 * The task pane: header, a warning when Excel is not available, and the home view.
 *
 * Never touches the `Excel` or `Office` globals: the workbook arrives as a {@link WorkbookPort}
 * (or `undefined` outside Excel), so tests render it with a fake.
 */
import { Suspense, lazy, useState } from "react";
import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Title2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { WorkbookPort } from "../excel/workbook";
import { HomeView } from "./HomeView";
import type { Engine } from "./worker/client";
import type { WizardId } from "./wizards/definitions";

// The wizards and their engine client load when a wizard starts, not with the pane.
const WizardHost = lazy(() => import(/* webpackChunkName: "wizards" */ "./wizards/WizardHost"));

export interface AppProps {
  /** The workbook, or `undefined` when the Excel API is not available (browser, another host). */
  readonly workbook: WorkbookPort | undefined;
  /** The Office host reported by office.js (`"Excel"`, ...), or `null` outside Office. */
  readonly host: string | null;
  /** The clock, for the generated tabs' time stamp; default the system clock. */
  readonly now?: () => Date;
  /** Makes the wizards' analysis engine; default the Web Worker (tests pass an in-process one). */
  readonly engineFactory?: () => Engine;
}

const systemClock = () => new Date();

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalL,
    minWidth: 0,
    maxWidth: "100%",
    boxSizing: "border-box",
  },
  header: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalM,
  },
  logo: {
    width: "40px",
    height: "40px",
    flexShrink: 0,
  },
  titles: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXXS,
  },
  title: {
    margin: 0,
  },
  tagline: {
    color: tokens.colorNeutralForeground2,
  },
});

export function App({ workbook, host, now = systemClock, engineFactory }: AppProps) {
  const styles = useStyles();
  const [wizard, setWizard] = useState<WizardId | null>(null);
  return (
    <div className={styles.root}>
      <header className={styles.header}>
        <img className={styles.logo} src="assets/logo-filled.png" alt="IMC Analytics logo" />
        <div className={styles.titles}>
          <Title2 as="h1" className={styles.title}>
            IMC Analytics
          </Title2>
          <Text className={styles.tagline}>
            Integrated Marketing Communications in Excel: customer value, attribution, ROCI and budgets.
          </Text>
        </div>
      </header>

      <main>
        {!workbook && (
          <MessageBar intent="warning">
            <MessageBarBody>
              <MessageBarTitle>Excel is not available here</MessageBarTitle>
              {host && host !== "Excel" ? `This page is running in ${host}. ` : ""}
              Open the add-in in Excel to insert formulas.
            </MessageBarBody>
          </MessageBar>
        )}
        {wizard !== null && workbook ? (
          <Suspense fallback={<Spinner label="Loading the wizard…" />}>
            <WizardHost wizardId={wizard} workbook={workbook} engineFactory={engineFactory} now={now} onClose={() => setWizard(null)} />
          </Suspense>
        ) : (
          <HomeView workbook={workbook} onStartWizard={setWizard} />
        )}
      </main>
    </div>
  );
}
