// Builds the add-in: one page (taskpane.html) loads the task pane, custom functions and commands
// bundles, because the manifest uses a shared runtime. `functions.json` is generated from the JSDoc
// of the functions files by CustomFunctionsMetadataPlugin, which also appends the
// `CustomFunctions.associate` calls to those files.

const path = require("node:path");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const CustomFunctionsMetadataPlugin = require("custom-functions-metadata-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const { toProductionManifest } = require("./scripts/manifest-tools.cjs");
const { FUNCTION_FILES } = require("./scripts/function-files.cjs");

const DEV_PORT = Number(process.env.npm_package_config_dev_server_port || 3000);

/** HTTPS with Office's trusted dev certificate; HTTP where it cannot be installed (or IMC_HTTP=1). */
async function devServerTransport() {
  if (process.env.IMC_HTTP === "1") return { type: "http" };
  try {
    const devCerts = require("office-addin-dev-certs");
    const options = await devCerts.getHttpsServerOptions();
    return { type: "https", options: { ca: options.ca, key: options.key, cert: options.cert } };
  } catch (error) {
    console.warn(
      `\n[imc] Could not set up the HTTPS dev certificate (${error && error.message ? error.message : error}).\n` +
        "[imc] Serving over HTTP instead: fine for headless checks, but Excel needs HTTPS.\n" +
        "[imc] Install the certificate with `npx office-addin-dev-certs install` (needs admin rights) and restart.\n",
    );
    return { type: "http" };
  }
}

module.exports = async (env, argv) => {
  const production = argv.mode === "production";
  const baseUrl = process.env.IMC_BASE_URL;
  if (production && !baseUrl) {
    console.warn("[imc] IMC_BASE_URL is not set: dist/manifest.xml keeps the https://localhost:3000/ development URLs.");
  }
  const serve = Boolean(process.env.WEBPACK_SERVE);

  return {
    // No eval-based source maps in development: the pages' Content-Security-Policy has no 'unsafe-eval'.
    devtool: production ? "source-map" : "cheap-module-source-map",
    entry: {
      taskpane: "./src/taskpane/index.tsx",
      functions: FUNCTION_FILES,
      commands: "./src/commands/commands.ts",
      help: "./src/help/help.ts",
      // The analysis engine's Web Worker: loaded by the wizards only (new Worker("engine-worker.js")),
      // never by a page, so it is in no HtmlWebpackPlugin's chunks.
      "engine-worker": "./src/taskpane/worker/engine.worker.ts",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: "[name].js",
      clean: true,
    },
    resolve: { extensions: [".ts", ".tsx", ".js"] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: "ts-loader",
            // Type checking is `npm run typecheck`; the build only transpiles.
            options: { transpileOnly: true, compilerOptions: { noEmit: false } },
          },
        },
        { test: /\.(png|jpe?g|gif|ico|svg)$/, type: "asset/resource", generator: { filename: "assets/[name][ext]" } },
      ],
    },
    plugins: [
      new CustomFunctionsMetadataPlugin({ output: "functions.json", input: FUNCTION_FILES }),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        chunks: ["taskpane", "functions", "commands"],
      }),
      new HtmlWebpackPlugin({ filename: "help.html", template: "./src/help/help.html", chunks: ["help"] }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*", to: "assets/[name][ext]" },
          { from: "src/help/help.css", to: "help.css" },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            transform(content) {
              return production && baseUrl ? toProductionManifest(content.toString(), baseUrl) : content;
            },
          },
        ],
      }),
    ],
    performance: { hints: false },
    devServer: serve
      ? {
          // Loopback only: the add-in is for the Excel on this machine, not for the network.
          host: "localhost",
          port: DEV_PORT,
          server: await devServerTransport(),
          headers: { "Access-Control-Allow-Origin": "*" },
          static: false,
          client: { overlay: { warnings: false } },
        }
      : undefined,
  };
};
