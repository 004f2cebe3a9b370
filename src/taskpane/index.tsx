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
  webLightTheme,
} from "@fluentui/react-components";
import { whenOfficeReady } from "../excel/office";
import { createOfficeWorkbook } from "../excel/officeWorkbook";
import { App } from "./App";
import { errorMessage } from "./errorMessage";

function containerElement(): HTMLElement {
  const container = document.getElementById("container");
  if (!container) {
    throw new Error("taskpane.html has no element with id \"container\"");
  }
  return container;
}

async function main(): Promise<void> {
  const { host, excelAvailable } = await whenOfficeReady();
  createRoot(containerElement()).render(
    <FluentProvider theme={webLightTheme}>
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
