// Helpers for the add-in only (XML) manifest. CommonJS, Node built-ins only: required by
// webpack.config.js, by scripts/validate-manifest.mjs and by the tests in test/scripts/.
//
//   toProductionManifest(xml, baseUrl)  rewrite every development URL to the production base URL
//   manifestProblems(xml)               cross-reference checks the XML schema cannot do
//   validateWithSchema(path, schemaDir) xmllint against OfficeAppManifestV1_1.xsd
//   readResources(xml)                  the <Resources> definitions (id, kind, value)
//   manifestUrls(xml)                   every http(s) URL the manifest names
//
// The manifest is scanned with regular expressions on purpose (no XML library dependency). The scanner
// understands what an add-in manifest contains: start/end/self-closing tags, attributes in single or
// double quotes, comments, the five predefined entities and numeric character references.

"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

/** Base of every URL in manifest.xml during development (webpack dev server). */
const DEV_BASE_URL = "https://localhost:3000/";

/** Main schema file; it imports the other .xsd files next to it. */
const SCHEMA_FILE = "OfficeAppManifestV1_1.xsd";

/** The custom functions namespace users type in front of every function (`=IMC.CLV(...)`). */
const EXPECTED_NAMESPACE = "IMC";

// ---------------------------------------------------------------------------------------------
// Production URLs

/**
 * Checks and normalises a production base URL: absolute, https://, no query or fragment, ending in "/".
 * @param {unknown} baseUrl
 * @returns {string}
 */
function normaliseBaseUrl(baseUrl) {
  const hint = 'expected an absolute https:// URL such as "https://addin.example.com/imc/"';
  if (typeof baseUrl !== "string" || baseUrl.trim() === "") {
    throw new Error(`Production base URL is missing: ${hint}.`);
  }
  const text = baseUrl.trim();
  if (!/^https:\/\//i.test(text)) {
    throw new Error(`Production base URL ${JSON.stringify(text)} is not an absolute https:// URL: ${hint}. Office requires HTTPS.`);
  }
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`Production base URL ${JSON.stringify(text)} is not a valid URL: ${hint}.`);
  }
  if (url.protocol !== "https:" || !url.hostname) {
    throw new Error(`Production base URL ${JSON.stringify(text)} is not an absolute https:// URL: ${hint}.`);
  }
  if (url.search || url.hash || /[?#]/.test(text)) {
    throw new Error(`Production base URL ${JSON.stringify(text)} must not have a query or fragment: ${hint}.`);
  }
  if (url.username || url.password) {
    throw new Error(`Production base URL ${JSON.stringify(text)} must not contain credentials.`);
  }
  if (/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(url.hostname)) {
    throw new Error(`Production base URL ${JSON.stringify(text)} points at localhost: ${hint}.`);
  }
  let href = url.href;
  if (!href.endsWith("/")) href += "/";
  return href;
}

/**
 * Returns `xml` with EVERY occurrence of the development base URL (https://localhost:3000/) replaced by
 * `baseUrl` (Microsoft's template replaces only the first one). `baseUrl` must be an absolute https://
 * URL; a missing trailing slash is added. Throws if anything mentioning localhost remains afterwards.
 * @param {string} xml
 * @param {string} baseUrl
 * @returns {string}
 */
function toProductionManifest(xml, baseUrl) {
  if (typeof xml !== "string") throw new TypeError("toProductionManifest: xml must be a string.");
  const base = normaliseBaseUrl(baseUrl);
  const out = xml.split(DEV_BASE_URL).join(base);
  const leftovers = out
    .split(/\r?\n/)
    .map((line, i) => ({ line: i + 1, text: line.trim() }))
    .filter(({ text }) => /localhost/i.test(text));
  if (leftovers.length > 0) {
    const sample = leftovers
      .slice(0, 5)
      .map(({ line, text }) => `  line ${line}: ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`)
      .join("\n");
    throw new Error(
      `Production manifest still mentions localhost after replacing ${DEV_BASE_URL} with ${base} ` +
        `(${leftovers.length} line(s)); use exactly ${DEV_BASE_URL} for every development URL:\n${sample}`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scanning

/** @param {string} s */
function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (m, body) => {
    const b = body.toLowerCase();
    if (b === "amp") return "&";
    if (b === "lt") return "<";
    if (b === "gt") return ">";
    if (b === "quot") return '"';
    if (b === "apos") return "'";
    const code = b.startsWith("#x") ? parseInt(b.slice(2), 16) : parseInt(b.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : m;
  });
}

/** Replaces comments, CDATA and processing instructions by spaces (keeps offsets and line numbers). */
function blankNonMarkup(xml) {
  return xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>/g, (m) => m.replace(/[^\n]/g, " "));
}

/**
 * @typedef {{ name: string, local: string, attrs: Record<string, string>, start: number, end: number,
 *   closing: boolean, selfClosing: boolean }} Tag
 */

/**
 * All start, end and self-closing tags, in document order.
 * @param {string} xml  (comments already blanked)
 * @returns {Tag[]}
 */
function scanTags(xml) {
  /** @type {Tag[]} */
  const tags = [];
  const tagRe = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let m;
  while ((m = tagRe.exec(xml)) !== null) {
    /** @type {Record<string, string>} */
    const attrs = {};
    const attrRe = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
    let a;
    while ((a = attrRe.exec(m[3])) !== null) attrs[a[1]] = decodeEntities(a[2] !== undefined ? a[2] : a[3]);
    const name = m[2];
    tags.push({
      name,
      local: name.includes(":") ? name.slice(name.indexOf(":") + 1) : name,
      attrs,
      start: m.index,
      end: m.index + m[0].length,
      closing: m[1] === "/",
      selfClosing: m[4] === "/",
    });
  }
  return tags;
}

/** Local part of an attribute value such as xsi:type="bt:ShowTaskpane" → "ShowTaskpane". */
function localValue(v) {
  return v && v.includes(":") ? v.slice(v.indexOf(":") + 1) : v;
}

/** Value of the xsi:type attribute (any prefix), local part. */
function xsiType(tag) {
  for (const [k, v] of Object.entries(tag.attrs)) {
    if (k === "type" || k.endsWith(":type")) return localValue(v);
  }
  return undefined;
}

/**
 * Builds a tree of elements (parent links and children) from the flat tag list; tolerant of
 * unbalanced markup (an unmatched end tag closes up to the nearest open element of that name).
 * @param {Tag[]} tags
 */
function buildTree(tags) {
  /** @typedef {{ tag: Tag, parent: El | null, children: El[], contentEnd: number }} El */
  /** @type {El} */
  const root = { tag: { name: "#root", local: "#root", attrs: {}, start: 0, end: 0, closing: false, selfClosing: false }, parent: null, children: [], contentEnd: Infinity };
  /** @type {El[]} */
  const stack = [root];
  /** @type {El[]} */
  const all = [];
  for (const tag of tags) {
    if (tag.closing) {
      for (let i = stack.length - 1; i > 0; i--) {
        if (stack[i].tag.name === tag.name) {
          stack[i].contentEnd = tag.start;
          stack.length = i;
          break;
        }
      }
      continue;
    }
    const parent = stack[stack.length - 1];
    /** @type {El} */
    const el = { tag, parent, children: [], contentEnd: tag.end };
    parent.children.push(el);
    all.push(el);
    if (!tag.selfClosing) stack.push(el);
  }
  return { root, all };
}

function ancestors(el) {
  const out = [];
  for (let p = el.parent; p && p.parent; p = p.parent) out.push(p);
  return out;
}

function hasAncestor(el, local) {
  return ancestors(el).some((p) => p.tag.local === local);
}

/** Human-readable path such as Hosts/Host/DesktopFormFactor/FunctionFile. */
function elementPath(el) {
  return [...ancestors(el).reverse(), el]
    .map((e) => e.tag.local)
    .filter((n) => n !== "OfficeApp" && n !== "VersionOverrides")
    .join("/");
}

function lineOf(xml, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < xml.length; i++) if (xml.charCodeAt(i) === 10) line++;
  return line;
}

/** Collection element under <Resources> → resource kind. */
const RESOURCE_COLLECTIONS = { Images: "Image", Urls: "Url", ShortStrings: "ShortString", LongStrings: "LongString" };

/** Comments blanked, then the element tree: what every check works on. */
function parseManifest(xml) {
  return buildTree(scanTags(blankNonMarkup(xml)));
}

/**
 * The resource definitions among parsed elements (see {@link readResources}).
 * @param {ReturnType<typeof buildTree>["all"]} all
 * @param {string} xml  the original text, for line numbers
 */
function resourcesIn(all, xml) {
  const out = [];
  for (const el of all) {
    if (!["Image", "Url", "String"].includes(el.tag.local)) continue;
    if (!hasAncestor(el, "Resources")) continue;
    if (el.tag.attrs.id === undefined) continue;
    const collection = el.parent ? el.parent.tag.local : "";
    out.push({
      id: el.tag.attrs.id,
      kind: RESOURCE_COLLECTIONS[collection] || "Unknown",
      value: el.tag.attrs.DefaultValue,
      line: lineOf(xml, el.tag.start),
    });
  }
  return out;
}

/**
 * The resource definitions under <Resources>: bt:Image / bt:Url / bt:String elements with an `id`.
 * @param {string} xml
 * @returns {{ id: string, kind: "Image" | "Url" | "ShortString" | "LongString" | "Unknown", value: string | undefined, line: number }[]}
 */
function readResources(xml) {
  return resourcesIn(parseManifest(xml).all, xml);
}

/**
 * Every absolute http(s) URL in the manifest's attribute values and text (namespace declarations,
 * which are identifiers rather than addresses, left out).
 * @param {string} xml
 * @returns {string[]}
 */
function manifestUrls(xml) {
  return xml.replace(/\sxmlns(?::\w+)?\s*=\s*"[^"]*"/g, "").match(/https?:\/\/[^\s"'<>]+/g) ?? [];
}

/** Which kind of resource a resid on this element must point at (undefined: not checked). */
function expectedKind(el) {
  const local = el.tag.local;
  if (local === "Image") return "Image";
  if (local === "Runtime" || local === "SourceLocation" || local === "FunctionFile" || local === "LearnMoreUrl") return "Url";
  if (local === "Label" || local === "Title" || local === "Namespace") return "ShortString";
  if (local === "Description") return "LongString";
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Cross-reference checks

/**
 * Problems the XML schema cannot find, as human-readable sentences (empty array: none):
 * - every `resid` is defined exactly once in <Resources>, in the right collection (Images, Urls,
 *   ShortStrings, LongStrings), and no resource id is defined twice;
 * - shared runtime: the <Runtime> resid, the CustomFunctions <Page> SourceLocation, <FunctionFile> and
 *   every ShowTaskpane action's SourceLocation use the same resid; ShowTaskpane actions share one
 *   TaskpaneId (a shared runtime supports one task pane);
 * - the custom functions namespace string is "IMC";
 * - DefaultSettings/SourceLocation equals the URL of the shared runtime resource (Taskpane.Url).
 * @param {string} xml
 * @returns {string[]}
 */
function manifestProblems(xml) {
  /** @type {string[]} */
  const problems = [];
  if (typeof xml !== "string" || xml.trim() === "") return ["The manifest is empty."];
  const clean = blankNonMarkup(xml);
  const { all } = buildTree(scanTags(clean));
  const at = (el) => `line ${lineOf(xml, el.tag.start)}`;

  if (!all.some((el) => el.tag.local === "OfficeApp")) problems.push("No <OfficeApp> root element found.");

  // --- resources ------------------------------------------------------------------------------
  const resourcesEls = all.filter((el) => el.tag.local === "Resources");
  if (resourcesEls.length === 0) problems.push("No <Resources> element: every resid is undefined.");
  if (resourcesEls.length > 1) problems.push(`<Resources> appears ${resourcesEls.length} times; expected once.`);

  const resources = resourcesIn(all, xml);
  /** @type {Map<string, typeof resources>} */
  const byId = new Map();
  for (const r of resources) {
    const list = byId.get(r.id) || [];
    list.push(r);
    byId.set(r.id, list);
  }
  for (const [id, defs] of byId) {
    if (defs.length > 1) {
      problems.push(`Resource id "${id}" is defined ${defs.length} times (lines ${defs.map((d) => d.line).join(", ")}); each id must be defined once.`);
    }
  }
  for (const r of resources) {
    if (r.kind === "Unknown") problems.push(`Resource "${r.id}" (line ${r.line}) is not inside <bt:Images>, <bt:Urls>, <bt:ShortStrings> or <bt:LongStrings>.`);
    if (r.value === undefined || r.value.trim() === "") problems.push(`Resource "${r.id}" (line ${r.line}) has no DefaultValue.`);
  }
  const resourceValue = (id) => {
    const defs = byId.get(id);
    return defs && defs.length > 0 ? defs[0].value : undefined;
  };

  // --- every resid defined, with the right kind ------------------------------------------------
  const uses = all.filter((el) => el.tag.attrs.resid !== undefined && !hasAncestor(el, "Resources"));
  for (const el of uses) {
    const id = el.tag.attrs.resid;
    const defs = byId.get(id);
    if (!defs || defs.length === 0) {
      problems.push(`resid "${id}" used on <${el.tag.name}> (${elementPath(el)}, ${at(el)}) is not defined in <Resources>.`);
      continue;
    }
    const kind = expectedKind(el);
    if (kind && defs[0].kind !== "Unknown" && defs[0].kind !== kind) {
      problems.push(`resid "${id}" on <${el.tag.name}> (${elementPath(el)}, ${at(el)}) must name a ${kind} resource, but "${id}" is a ${defs[0].kind}.`);
    }
  }
  for (const el of all) {
    if (["Runtime", "FunctionFile", "Namespace", "Label", "Title", "LearnMoreUrl"].includes(el.tag.local) && hasAncestor(el, "VersionOverrides") && el.tag.attrs.resid === undefined) {
      problems.push(`<${el.tag.name}> (${elementPath(el)}, ${at(el)}) has no resid attribute.`);
    }
  }

  // --- shared runtime ---------------------------------------------------------------------------
  /** @type {{ what: string, resid: string | undefined }[]} */
  const runtimeRefs = [];
  const sourceLocationIn = (el) => el.children.find((c) => c.tag.local === "SourceLocation");

  const runtimes = all.filter((el) => el.tag.local === "Runtime" && hasAncestor(el, "Runtimes"));
  if (runtimes.length === 0) problems.push('No <Runtimes><Runtime resid="..." lifetime="long"/></Runtimes>: the add-in would not use a shared runtime.');
  if (runtimes.length > 1) problems.push(`${runtimes.length} <Runtime> elements; the shared runtime needs exactly one.`);
  for (const el of runtimes) {
    runtimeRefs.push({ what: "<Runtime>", resid: el.tag.attrs.resid });
    if (el.tag.attrs.lifetime !== "long") {
      problems.push(`<Runtime resid="${el.tag.attrs.resid}"> (${at(el)}) must have lifetime="long" for an Excel shared runtime.`);
    }
  }

  const customFunctions = all.filter((el) => el.tag.local === "ExtensionPoint" && xsiType(el.tag) === "CustomFunctions");
  if (customFunctions.length === 0) problems.push('No <ExtensionPoint xsi:type="CustomFunctions">: the custom functions are not declared.');
  for (const cf of customFunctions) {
    const page = cf.children.find((c) => c.tag.local === "Page");
    const loc = page && sourceLocationIn(page);
    if (!loc) problems.push(`The CustomFunctions extension point (${at(cf)}) has no <Page><SourceLocation resid="..."/></Page>.`);
    else runtimeRefs.push({ what: "CustomFunctions <Page> SourceLocation", resid: loc.tag.attrs.resid });

    const ns = cf.children.find((c) => c.tag.local === "Namespace");
    if (!ns) {
      problems.push(`The CustomFunctions extension point (${at(cf)}) has no <Namespace resid="..."/>; functions would not be named ${EXPECTED_NAMESPACE}.*.`);
    } else if (ns.tag.attrs.resid !== undefined) {
      const value = resourceValue(ns.tag.attrs.resid);
      if (value !== undefined && value !== EXPECTED_NAMESPACE) {
        problems.push(`The custom functions namespace (resource "${ns.tag.attrs.resid}") is "${value}"; it must be "${EXPECTED_NAMESPACE}" (=IMC.CLV(...)).`);
      }
    }
  }

  const functionFiles = all.filter((el) => el.tag.local === "FunctionFile");
  if (functionFiles.length === 0) problems.push('No <FunctionFile resid="..."/>: ribbon commands have no page to run in.');
  for (const el of functionFiles) runtimeRefs.push({ what: `<FunctionFile> (${at(el)})`, resid: el.tag.attrs.resid });

  const showTaskpanes = all.filter((el) => el.tag.local === "Action" && xsiType(el.tag) === "ShowTaskpane");
  if (showTaskpanes.length === 0) problems.push('No <Action xsi:type="ShowTaskpane">: nothing opens the task pane.');
  /** @type {Set<string>} */
  const taskpaneIds = new Set();
  for (const el of showTaskpanes) {
    const loc = sourceLocationIn(el);
    if (!loc) problems.push(`ShowTaskpane action (${at(el)}) has no <SourceLocation resid="..."/>.`);
    else runtimeRefs.push({ what: `ShowTaskpane <SourceLocation> (${at(loc)})`, resid: loc.tag.attrs.resid });
    const tid = el.children.find((c) => c.tag.local === "TaskpaneId");
    const tidText = tid ? decodeEntities(clean.slice(tid.tag.end, tid.contentEnd)).trim() : "";
    if (!tidText) problems.push(`ShowTaskpane action (${at(el)}) has no <TaskpaneId>; without one each button opens a separate task pane, which a shared runtime does not support.`);
    else taskpaneIds.add(tidText);
  }
  if (taskpaneIds.size > 1) {
    problems.push(`ShowTaskpane actions use different TaskpaneIds (${[...taskpaneIds].join(", ")}); a shared runtime supports one task pane.`);
  }

  const sharedResid = runtimes.length > 0 && runtimes[0].tag.attrs.resid !== undefined ? runtimes[0].tag.attrs.resid : "Taskpane.Url";
  for (const ref of runtimeRefs) {
    if (ref.resid !== undefined && ref.resid !== sharedResid) {
      problems.push(`${ref.what} uses resid "${ref.resid}" but the shared runtime uses "${sharedResid}": Runtime, CustomFunctions Page, FunctionFile and every ShowTaskpane action must use the same resid.`);
    }
  }

  // --- DefaultSettings -------------------------------------------------------------------------
  const defaultSettings = all.find((el) => el.tag.local === "DefaultSettings");
  const defaultLoc = defaultSettings && sourceLocationIn(defaultSettings);
  const sharedUrl = resourceValue(sharedResid);
  if (!defaultLoc) {
    problems.push("No <DefaultSettings><SourceLocation DefaultValue=\"...\"/></DefaultSettings>.");
  } else if (sharedUrl !== undefined && defaultLoc.tag.attrs.DefaultValue !== sharedUrl) {
    problems.push(
      `DefaultSettings SourceLocation "${defaultLoc.tag.attrs.DefaultValue}" differs from the "${sharedResid}" resource "${sharedUrl}"; ` +
        "both must name the same page (the shared runtime's task pane).",
    );
  }

  return problems;
}

// ---------------------------------------------------------------------------------------------
// Schema validation

/**
 * Validates a manifest file with xmllint against OfficeAppManifestV1_1.xsd in `schemaDir` (which imports
 * the other .xsd files next to it). Never touches the network (--nonet).
 * @param {string} manifestPath
 * @param {string} schemaDir
 * @returns {{ ok: boolean, output: string }}
 */
function validateWithSchema(manifestPath, schemaDir) {
  const xsd = path.resolve(schemaDir, SCHEMA_FILE);
  if (!fs.existsSync(xsd)) {
    throw new Error(`Manifest schema not found: ${xsd} (expected ${SCHEMA_FILE} and the .xsd files it imports in ${schemaDir}).`);
  }
  const manifest = path.resolve(manifestPath);
  if (!fs.existsSync(manifest)) throw new Error(`Manifest not found: ${manifest}`);
  const result = spawnSync("xmllint", ["--noout", "--nonet", "--schema", xsd, manifest], { encoding: "utf8" });
  if (result.error) {
    if (/** @type {NodeJS.ErrnoException} */ (result.error).code === "ENOENT") {
      throw new Error("xmllint is not installed, so the manifest cannot be checked against its schema. Install it with: apt-get install -y libxml2-utils");
    }
    throw new Error(`Could not run xmllint: ${result.error.message}`);
  }
  const output = `${result.stdout || ""}${result.stderr || ""}`.trim();
  return { ok: result.status === 0, output };
}

module.exports = {
  DEV_BASE_URL,
  SCHEMA_FILE,
  EXPECTED_NAMESPACE,
  normaliseBaseUrl,
  toProductionManifest,
  manifestProblems,
  readResources,
  manifestUrls,
  validateWithSchema,
};
