import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { FUNCTION_CATALOGUE } from "../../src/catalogue/functions";
import type { InsertResult, WorkbookPort } from "../../src/excel/workbook";
import { HomeView } from "../../src/taskpane/HomeView";

// The home view renders the whole catalogue: slow in happy-dom on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

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
  readonly deleteSheets = unused;
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

/** The card (list item) of a catalogue entry. */
function cardOf(name: string): HTMLElement {
  const card = screen.getByRole("heading", { level: 4, name }).closest("li");
  if (!card) throw new Error(`${name} has no card`);
  return card as HTMLElement;
}

/** The insert confirmation inside an entry's card, beside its button. */
async function statusIn(name: string, text: RegExp): Promise<HTMLElement> {
  return within(cardOf(name)).findByRole("status", { name: "" }).then(async (status) => {
    await within(cardOf(name)).findByText(text);
    return status;
  });
}

describe("HomeView", () => {
  it("lists every catalogue entry with its signature, summary, example and result", () => {
    renderHome(new FakeWorkbook(async () => ({ address: "Sheet1!A1" })));

    for (const entry of FUNCTION_CATALOGUE) {
      const inCard = within(cardOf(entry.name));
      expect(inCard.getByText(entry.signature)).toBeTruthy();
      expect(inCard.getByText(entry.summary)).toBeTruthy();
      expect(inCard.getByText(entry.returns)).toBeTruthy();
      expect(inCard.getByText(entry.example).tagName).toBe("CODE");
      expect(inCard.getByText(entry.exampleResult)).toBeTruthy();
      const escaped = entry.name.replace(/\./g, "\\.");
      expect(inCard.getByRole("button", { name: new RegExp(`insert example of ${escaped}$`, "i") })).toBeTruthy();
    }
  });

  it("shows the wizards first, then the A/B test, then the functions", () => {
    renderHome(undefined);

    const parts = screen.getAllByRole("heading", { level: 2 }).map((heading) => heading.textContent);
    expect(parts).toEqual(["Generate tabs", "A/B test", "Functions"]);
    const wizards = screen.getByRole("region", { name: "Generate tabs" });
    const titles = within(wizards).getAllByRole("heading", { level: 3 }).map((heading) => heading.textContent);
    expect(titles).toEqual(["All tabs", "Segmentation", "Customer Value", "Attribution", "Campaign KPIs", "Budget"]);
  });

  it("starts a wizard from its card", async () => {
    const user = userEvent.setup();
    const started: string[] = [];
    render(
      <FluentProvider theme={webLightTheme}>
        <HomeView workbook={new FakeWorkbook(async () => ({ address: "A1" }))} onStartWizard={(id) => started.push(id)} />
      </FluentProvider>,
    );

    await user.click(screen.getByRole("button", { name: "Start the Customer Value wizard" }));
    await user.click(screen.getByRole("button", { name: "Start the All tabs wizard" }));

    expect(started).toEqual(["customer-value", "all"]);
  });

  it("groups the functions under one heading per category", () => {
    renderHome(undefined);

    const categories = [...new Set(FUNCTION_CATALOGUE.map((entry) => entry.category))];
    const functions = screen.getByRole("region", { name: "Functions" });
    const headings = within(functions).getAllByRole("heading", { level: 3 }).map((heading) => heading.textContent);
    expect(headings).toEqual(categories);
    for (const entry of FUNCTION_CATALOGUE) {
      const section = screen.getByRole("region", { name: entry.category });
      expect(within(section).getByRole("heading", { level: 4, name: entry.name })).toBeTruthy();
    }
  });

  it("filters the functions by the search box", async () => {
    const user = userEvent.setup();
    renderHome(undefined);

    await user.type(screen.getByRole("searchbox", { name: "Search functions" }), "sample size");

    const functions = screen.getByRole("region", { name: "Functions" });
    expect(within(functions).getAllByRole("heading", { level: 4 }).map((heading) => heading.textContent)).toEqual(["IMC.SAMPLESIZE"]);

    await user.clear(screen.getByRole("searchbox", { name: "Search functions" }));
    await user.type(screen.getByRole("searchbox", { name: "Search functions" }), "zzzz");
    expect(within(functions).queryAllByRole("heading", { level: 4 })).toHaveLength(0);
    expect(within(functions).getByRole("status").textContent).toContain("No function matches");
  });

  it("inserts exactly the catalogue example and shows where it went", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(async () => ({ address: "Sheet1!B2" }));
    renderHome(workbook);

    await user.click(screen.getByRole("button", { name: /^insert example of imc\.clv$/i }));

    expect(workbook.insertedFormulas).toEqual([clv.example]);
    // The confirmation is in the card, next to the button, not at the top of the pane.
    const message = await statusIn("IMC.CLV", /inserted imc\.clv/i);
    expect(message.textContent).toContain(`${clv.example} is now in Sheet1!B2.`);
    expect(within(cardOf("IMC.CLV")).getByRole("button", { name: /insert example of imc\.clv$/i })).toBeTruthy();
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
    await statusIn("IMC.CLV", /inserted/i);
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

    const message = await statusIn("IMC.CLV", /could not insert imc\.clv/i);
    expect(message.textContent).toContain("The current selection is invalid for this operation.");
    expect(message.textContent).not.toMatch(/^inserted/i);
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
    await statusIn("IMC.CLV", /could not insert/i);
    await user.click(button);

    const message = await statusIn("IMC.CLV", /inserted imc\.clv/i);
    expect(message.textContent).toContain("Sheet2!A1");
    expect(message.textContent).not.toMatch(/could not insert/i);
  });

  it("disables every Insert button when there is no workbook", () => {
    renderHome(undefined);

    const buttons = screen.getAllByRole("button", { name: /insert example of/i }) as HTMLButtonElement[];
    expect(buttons).toHaveLength(FUNCTION_CATALOGUE.length);
    for (const button of buttons) expect(button.disabled).toBe(true);
  });
});
