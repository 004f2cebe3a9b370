/** The help page (the manifest's SupportUrl): lists the functions from the catalogue, so it never drifts. */
import { FUNCTION_CATALOGUE } from "../catalogue/functions";

function renderFunctions(list: HTMLElement): void {
  for (const entry of FUNCTION_CATALOGUE) {
    const term = document.createElement("dt");
    const signature = document.createElement("code");
    signature.textContent = entry.signature;
    term.append(signature);
    const description = document.createElement("dd");
    const example = document.createElement("code");
    example.textContent = entry.example;
    description.append(`${entry.summary} Returns: ${entry.returns} Example: `, example, ` (its first cell shows ${entry.exampleResult}).`);
    list.append(term, description);
  }
}

const list = document.getElementById("functions");
if (list) renderFunctions(list);
