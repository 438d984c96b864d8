#!/usr/bin/env node
// JSON Lines invoices validated with ajv against invoice.schema.json, the
// JSON Schema reading of the benchmark rules: types, required fields and the
// BIN, TIN and mobile formats (3 of the 7 rules). VAT, fiscal year and totals
// cannot be written in JSON Schema and are not checked; uniqueness is a plain
// JavaScript Set beside ajv, reported separately.
//
//   node ajv_check.js invoices.jsonl [schema.json]
// NODE_PATH must reach the ajv package (scripts/bench.sh sets it).
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const Ajv = require('ajv');

async function main() {
  const input = process.argv[2];
  const schemaPath = process.argv[3] || path.join(__dirname, 'invoice.schema.json');
  if (!input) {
    console.error('usage: node ajv_check.js invoices.jsonl [schema.json]');
    process.exit(2);
  }
  const t0 = process.hrtime.bigint();
  const ajv = new Ajv({allErrors: true, strict: false});
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
  const byField = {};
  let rows = 0;
  let invalidRows = 0;
  let duplicates = 0;
  const seen = new Set();
  const rl = readline.createInterface({input: fs.createReadStream(input), crlfDelay: Infinity});
  for await (const line of rl) {
    if (line.length === 0) continue;
    rows++;
    const rec = JSON.parse(line);
    if (!validate(rec)) {
      invalidRows++;
      for (const e of validate.errors) {
        const field = e.instancePath.slice(1) || e.params.missingProperty || '(record)';
        byField[field] = (byField[field] || 0) + 1;
      }
    }
    if (seen.has(rec.invoice_no)) duplicates++;
    else seen.add(rec.invoice_no);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const [field, n] of Object.entries(byField).sort()) console.log(`${field} ${n}`);
  console.log(`duplicates(invoice_no, Set) ${duplicates}`);
  console.log(`rows=${rows} invalid=${invalidRows} seconds=${seconds.toFixed(3)}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(2);
});
