import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { FUNCTION_CATALOGUE } from "../../src/catalogue/functions";
import type { InsertResult, WorkbookPort } from "../../src/excel/workbook";
import { App } from "../../src/taskpane/App";

// The home view renders the whole catalogue: slow in happy-dom on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

afterEach(() => {
  cleanup();
});

function renderApp(workbook: WorkbookPort | undefined, host: string | null) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <App workbook={workbook} host={host} />
    </FluentProvider>,
  );
}

describe("App", () => {
  it("shows the header: logo, title and tagline", () => {
    renderApp(undefined, null);

    expect(screen.getByRole("heading", { level: 1, name: "IMC Analytics" })).toBeTruthy();
    const logo = screen.getByRole("img", { name: /imc analytics logo/i });
    expect(logo.getAttribute("src")).toBe("assets/logo-filled.png");
    expect(screen.getByText(/integrated marketing communications/i)).toBeTruthy();
  });

  it("without a workbook warns that Excel is not available and disables the Insert buttons", () => {
    renderApp(undefined, null);

    const warning = screen.getByRole("group", { name: /excel is not available here/i });
    expect(warning.textContent).toMatch(/open the add-in in excel to insert formulas/i);
    const buttons = screen.getAllByRole("button", { name: /insert example of/i }) as HTMLButtonElement[];
    expect(buttons).toHaveLength(FUNCTION_CATALOGUE.length);
    for (const button of buttons) expect(button.disabled).toBe(true);
  });

  it("names the host when it runs in another Office application", () => {
    renderApp(undefined, "Word");

    expect(screen.getByRole("group", { name: /excel is not available here/i }).textContent).toContain(
      "running in Word",
    );
  });

  it("with a workbook shows no warning and inserts through it", async () => {
    const user = userEvent.setup();
    const inserted: string[] = [];
    const workbook: WorkbookPort = {
      async insertFormula(formula: string): Promise<InsertResult> {
        inserted.push(formula);
        return { address: "Sheet1!B2" };
      },
      listSources: () => Promise.reject(new Error("not used")),
      readSource: () => Promise.reject(new Error("not used")),
      writeReport: () => Promise.reject(new Error("not used")),
      activateSheet: () => Promise.reject(new Error("not used")),
      deleteSheets: () => Promise.reject(new Error("not used")),
    };
    renderApp(workbook, "Excel");

    expect(screen.queryByRole("group", { name: /excel is not available/i })).toBeNull();
    await user.click(screen.getByRole("button", { name: /^insert example of imc\.clv$/i }));

    expect(inserted).toEqual(["=IMC.CLV(100, 0.8, 0.1)"]);
    expect((await screen.findByText(/inserted imc\.clv/i)).textContent).toContain("Sheet1!B2");
  });
});
