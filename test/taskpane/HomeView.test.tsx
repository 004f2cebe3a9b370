import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { FUNCTION_CATALOGUE } from "../../src/catalogue/functions";
import type { InsertResult, WorkbookPort } from "../../src/excel/workbook";
import { HomeView } from "../../src/taskpane/HomeView";

afterEach(() => {
  cleanup();
});

/** The data members, which the function gallery never calls. */
const unused = (): Promise<never> => Promise.reject(new Error("not used by the gallery"));

/** A WorkbookPort that records every formula it is asked to insert. */
class FakeWorkbook implements WorkbookPort {
  readonly insertedFormulas: string[] = [];
  constructor(private readonly respond: (formula: string) => Promise<InsertResult>) {}
  insertFormula(formula: string): Promise<InsertResult> {
    this.insertedFormulas.push(formula);
    return this.respond(formula);
  }
  readonly listSources = unused;
  readonly readSource = unused;
  readonly writeReport = unused;
  readonly activateSheet = unused;
}

/** A promise settled from outside, to observe the UI while an insert is pending. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function renderHome(workbook: WorkbookPort | undefined) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <HomeView workbook={workbook} />
    </FluentProvider>,
  );
}

const clv = FUNCTION_CATALOGUE.find((entry) => entry.name === "IMC.CLV")!;

describe("HomeView", () => {
  it("lists every catalogue entry with its signature, summary, example and result", () => {
    renderHome(new FakeWorkbook(async () => ({ address: "Sheet1!A1" })));

    for (const entry of FUNCTION_CATALOGUE) {
      const card = screen.getByRole("heading", { level: 3, name: entry.name }).closest("li");
      expect(card, `${entry.name} is listed`).not.toBeNull();
      const inCard = within(card!);
      expect(inCard.getByText(entry.signature)).toBeTruthy();
      expect(inCard.getByText(entry.summary)).toBeTruthy();
      expect(inCard.getByText(entry.example).tagName).toBe("CODE");
      expect(inCard.getByText(entry.exampleResult)).toBeTruthy();
      const escaped = entry.name.replace(/\./g, "\\.");
      expect(inCard.getByRole("button", { name: new RegExp(`insert example of ${escaped}$`, "i") })).toBeTruthy();
    }
  });

  it("groups the functions under one heading per category", () => {
    renderHome(undefined);

    const categories = [...new Set(FUNCTION_CATALOGUE.map((entry) => entry.category))];
    const headings = screen.getAllByRole("heading", { level: 2 }).map((heading) => heading.textContent);
    expect(headings).toEqual(categories);
    for (const entry of FUNCTION_CATALOGUE) {
      const section = screen.getByRole("region", { name: entry.category });
      expect(within(section).getByRole("heading", { level: 3, name: entry.name })).toBeTruthy();
    }
  });

  it("inserts exactly the catalogue example and shows where it went", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(async () => ({ address: "Sheet1!B2" }));
    renderHome(workbook);

    await user.click(screen.getByRole("button", { name: /^insert example of imc\.clv$/i }));

    expect(workbook.insertedFormulas).toEqual([clv.example]);
    const message = await screen.findByRole("group", { name: /inserted imc\.clv/i });
    expect(message.textContent).toContain(`${clv.example} is now in Sheet1!B2.`);
  });

  it("disables the button while the insert is pending", async () => {
    const user = userEvent.setup();
    const pending = deferred<InsertResult>();
    const workbook = new FakeWorkbook(() => pending.promise);
    renderHome(workbook);
    const button = screen.getByRole("button", { name: /^insert example of imc\.clv$/i }) as HTMLButtonElement;

    await user.click(button);
    expect(button.disabled).toBe(true);
    await user.click(button);
    expect(workbook.insertedFormulas).toHaveLength(1);

    pending.resolve({ address: "Sheet1!C3" });
    await screen.findByRole("group", { name: /inserted/i });
    expect(button.disabled).toBe(false);
  });

  it("shows Excel's error message when the insert fails, and the button works again", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(async () => {
      throw new Error("The current selection is invalid for this operation.");
    });
    renderHome(workbook);
    const button = screen.getByRole("button", { name: /^insert example of imc\.clv$/i }) as HTMLButtonElement;

    await user.click(button);

    const message = await screen.findByRole("group", { name: /could not insert imc\.clv/i });
    expect(message.textContent).toContain("The current selection is invalid for this operation.");
    expect(screen.queryByRole("group", { name: /^inserted$/i })).toBeNull();
    expect(button.disabled).toBe(false);
  });

  it("replaces an earlier error with the success message on the next insert", async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const workbook = new FakeWorkbook(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error("Excel is busy.");
      return { address: "Sheet2!A1" };
    });
    renderHome(workbook);
    const button = screen.getByRole("button", { name: /^insert example of imc\.clv$/i });

    await user.click(button);
    await screen.findByRole("group", { name: /could not insert/i });
    await user.click(button);

    const message = await screen.findByRole("group", { name: /inserted/i });
    expect(message.textContent).toContain("Sheet2!A1");
    expect(screen.queryByRole("group", { name: /could not insert/i })).toBeNull();
  });

  it("disables every Insert button when there is no workbook", () => {
    renderHome(undefined);

    const buttons = screen.getAllByRole("button", { name: /insert example of/i }) as HTMLButtonElement[];
    expect(buttons).toHaveLength(FUNCTION_CATALOGUE.length);
    for (const button of buttons) expect(button.disabled).toBe(true);
  });
});
