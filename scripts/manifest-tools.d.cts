// Types for scripts/manifest-tools.cjs (CommonJS, used by webpack.config.js, scripts and tests).

/** Base of every URL in manifest.xml during development: "https://localhost:3000/". */
export declare const DEV_BASE_URL: string;
/** Main schema file name: "OfficeAppManifestV1_1.xsd". */
export declare const SCHEMA_FILE: string;
/** Custom functions namespace the manifest must declare: "IMC". */
export declare const EXPECTED_NAMESPACE: string;

export type ResourceKind = "Image" | "Url" | "ShortString" | "LongString" | "Unknown";

export interface ResourceDefinition {
  id: string;
  kind: ResourceKind;
  value: string | undefined;
  /** 1-based line of the definition in the manifest. */
  line: number;
}

/** Checks a production base URL (absolute https://, no query/fragment, not localhost); adds a trailing "/". Throws otherwise. */
export declare function normaliseBaseUrl(baseUrl: unknown): string;

/** Replaces every https://localhost:3000/ by `baseUrl`; throws on a bad base URL or if "localhost" remains. */
export declare function toProductionManifest(xml: string, baseUrl: string): string;

/** Cross-reference problems the schema cannot find (empty when the manifest is fine). */
export declare function manifestProblems(xml: string): string[];

/** Resource definitions under <Resources>. */
export declare function readResources(xml: string): ResourceDefinition[];

/** Every absolute http(s) URL in the manifest (namespace declarations left out). */
export declare function manifestUrls(xml: string): string[];

/** Runs xmllint against OfficeAppManifestV1_1.xsd in `schemaDir`; throws when xmllint is not installed. */
export declare function validateWithSchema(manifestPath: string, schemaDir: string): { ok: boolean; output: string };
