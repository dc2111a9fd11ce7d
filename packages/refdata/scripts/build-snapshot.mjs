#!/usr/bin/env node
// Builds the shipped snapshot, data/sapi-2013.json.gz, from UNEP-WCMC's SAPI
// CSV files (shared/refdata/sapi; BSD licence), with its LICENSE and
// PROVENANCE.md beside it. Deterministic: the same files give the same
// bytes (sorted rows, no timestamps, gzip without a time). CI builds from a
// clean clone without the CSV files, so the output is committed.
//
//   node packages/refdata/scripts/build-snapshot.mjs [SAPI_DIR]   (after `npx tsc -b`)
//   default SAPI_DIR: $CITES_SAPI_DIR or /work/shared/refdata/sapi
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { encodeSnapshot, importSapiCsv, SAPI_SOURCE } from '../dist/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const dir = process.argv[2] ?? process.env.CITES_SAPI_DIR ?? '/work/shared/refdata/sapi'
if (!existsSync(join(dir, 'animalia_taxa_utf8.csv'))) { console.error(`no SAPI files in ${dir}`); process.exit(2) }
const out = join(here, '..', 'data')
mkdirSync(out, { recursive: true })
const { snapshot, unresolved } = importSapiCsv(dir)
const bytes = encodeSnapshot(snapshot)
writeFileSync(join(out, 'sapi-2013.json.gz'), bytes)
copyFileSync(join(dir, 'LICENSE'), join(out, 'LICENSE'))
chmodSync(join(out, 'LICENSE'), 0o644)
const sha = createHash('sha256').update(bytes).digest('hex')
writeFileSync(join(out, 'PROVENANCE.md'), `# Provenance of sapi-2013.json.gz

- **Source:** ${SAPI_SOURCE}. The CSV files were taken unchanged into this
  project's shared/refdata/sapi/ and read by \`packages/refdata/scripts/build-snapshot.mjs\`
  (\`importSapiCsv\` in packages/refdata/src/import-sapi.ts).
- **Licence:** BSD, Copyright (c) 2013, UNEP-WCMC: see LICENSE in this folder
  (copied from the source). This file is a derived work of theirs.
- **Age:** a **2013 snapshot** (listings effective up to ${snapshot.parts.listings.date}, quotas added up to
  ${snapshot.parts.quotas.date}; term-unit and term-purpose pairs 2018). Listings changed at every CoP
  since (CoP16 to CoP20): refresh with \`cites refdata import\`.
- **Changes from the source:** species names are written in full (the files give
  epithets under their genus); HTML marks in notes (\`<p>\`, \`<i>\`) become line
  breaks or go; dates are ISO; names the synonyms file gives as synonyms are
  synonyms even where the taxa file carries them for CMS. English country names
  are not in the source: they come from CLDR through Node ${process.versions.node}'s ICU ${process.versions.icu}.
- **Not linked** (rows of the source that name a taxon or annotation the files lack):
${Object.entries(unresolved).sort().map(([k, v]) => `  - ${k}: ${v}`).join('\n') || '  - none'}
- **Counts:** ${snapshot.taxa.length} taxa, ${snapshot.synonyms.length} synonyms, ${Object.keys(snapshot.listings).length} listed taxa,
  ${snapshot.quotas.length} quotas, ${snapshot.suspensions.length} suspensions.
- **sha256 of sapi-2013.json.gz:** ${sha}
`)
console.log(`wrote ${join(out, 'sapi-2013.json.gz')} (${(bytes.length / 1024).toFixed(0)} KiB, sha256 ${sha})`)
console.log(`snapshot ${snapshot.snapshotDate}: ${snapshot.taxa.length} taxa, ${snapshot.synonyms.length} synonyms, ${Object.keys(snapshot.listings).length} listed, ${snapshot.quotas.length} quotas, ${snapshot.suspensions.length} suspensions`)
console.log('not linked:', unresolved)
