// Validates canvas files against the Stagecraft JSON Schema with ajv (draft 2020-12),
// as a JavaScript tool would. Usage: node validate.mjs SCHEMA FILE...
// Prints one line per problem and exits 1 if any file is invalid, 2 if the schema itself
// does not compile.
import Ajv2020 from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";

const [schemaPath, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: true, strict: false });
let validate;
try {
  validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
} catch (e) {
  console.error(`${schemaPath}: the schema does not compile: ${e.message}`);
  process.exit(2);
}
let bad = 0;
for (const file of files) {
  const ok = validate(JSON.parse(readFileSync(file, "utf8")));
  if (!ok) {
    bad += 1;
    for (const err of validate.errors) {
      console.log(`${file}: ${err.instancePath || "/"} ${err.message}`);
    }
  }
}
process.exit(bad ? 1 : 0);
