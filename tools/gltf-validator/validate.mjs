// Validates glTF/GLB files with the Khronos glTF validator; prints the report summary and
// every error and warning, and exits 1 if any file has an error — or, with --strict, a
// warning (2 on bad usage).
// Usage: node validate.mjs [--strict] FILE...
import { readFile } from "node:fs/promises";
import validator from "gltf-validator";

const args = process.argv.slice(2);
const strict = args.includes("--strict");
const files = args.filter((a) => a !== "--strict");
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.glb...");
  process.exit(2);
}
let failed = false;
for (const file of files) {
  const data = new Uint8Array(await readFile(file));
  const report = await validator.validateBytes(data, { maxIssues: 100 });
  const { numErrors, numWarnings, numInfos, messages } = report.issues;
  console.log(`${file}: ${numErrors} errors, ${numWarnings} warnings, ${numInfos} infos`);
  for (const m of messages) {
    if (m.severity <= 1) {
      console.log(`  [${m.severity === 0 ? "error" : "warning"}] ${m.code} ${m.pointer ?? ""}: ${m.message}`);
    }
  }
  if (numErrors > 0 || (strict && numWarnings > 0)) failed = true;
}
process.exit(failed ? 1 : 0);
