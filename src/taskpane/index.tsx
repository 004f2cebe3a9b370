/**
 * Task pane entry point (webpack entry `taskpane`): waits for office.js, then renders the app.
 *
 * The Excel adapter is created here, once, and handed to the UI as a port; components never
 * touch the `Excel` or `Office` globals.
 */
import { createRoot } from "react-dom/client";
import {
  FluentProvider,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import { whenOfficeReady } from "../excel/office";
import { createOfficeWorkbook } from "../excel/officeWorkbook";
import { App } from "./App";
import { errorMessage } from "./errorMessage";
import { paneThemeOf } from "./theme";

/**
 * Office's theme (dark or light), read here only, once at start-up: components are given the Fluent
 * theme. (Better in src/excel/office.ts's whenOfficeReady, which that module's owner may take over.)
 */
function fluentTheme() {
  // eslint-disable-next-line no-restricted-globals -- the one read of Office's theme, at the entry point
  const officeTheme = typeof Office === "undefined" ? undefined : Office.context?.officeTheme;
  return paneThemeOf(officeTheme) === "dark" ? webDarkTheme : webLightTheme;
}

function containerElement(): HTMLElement {
  const container = document.getElementById("container");
  if (!container) {
    throw new Error("taskpane.html has no element with id \"container\"");
  }
  return container;
}

async function main(): Promise<void> {
  const { host, excelAvailable } = await whenOfficeReady();
  const theme = fluentTheme();
  document.body.style.backgroundColor = theme.colorNeutralBackground1;
  createRoot(containerElement()).render(
    <FluentProvider theme={theme}>
      <App workbook={excelAvailable ? createOfficeWorkbook() : undefined} host={host} />
    </FluentProvider>,
  );
}

main().catch((error: unknown) => {
  // A start-up failure must not leave a blank pane: show it, and keep it visible to developers.
  const container = document.getElementById("container") ?? document.body;
  createRoot(container).render(
    <FluentProvider theme={webLightTheme}>
      <MessageBar intent="error">
        <MessageBarBody>
          <MessageBarTitle>IMC Analytics could not start</MessageBarTitle>
          {errorMessage(error)}
        </MessageBarBody>
      </MessageBar>
    </FluentProvider>,
  );
  console.error(error);
});
