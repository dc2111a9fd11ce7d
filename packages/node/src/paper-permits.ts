/**
 * Paper permits for the annual report (issue 14): permits of parties that
 * are not on the network (and this party's own paper permits) entered by
 * the officer with `cites report add-paper`, so the report is complete.
 *
 * One JSON file, `<dataDir>/paper-permits.json`, that `cites report` edits
 * and the running node reads at each report: each change takes a lock,
 * reads, changes and renames a new file into place (as the account store,
 * accounts.ts), so it works while the node runs and no reader sees half a
 * file. It holds no personal data: codes, numbers and quantities only. The
 * Trade Database codes are checked against the reference data by the CLI
 * before a record is written; here only the shape is checked.
 */
import { join } from 'node:path'
import { z } from 'zod'
import type { PaperPermit } from '@cites/ledger'
import { newRecordId, readJsonStore, updateJsonStore, type JsonStore } from './json-store.js'
import { PaperPermitsFileError } from './errors.js'

export const PAPER_PERMITS_FILE = 'paper-permits.json'
/** The store of the node whose data folder is `dataDir`. */
export const paperPermitsFile = (dataDir: string): string => join(dataDir, PAPER_PERMITS_FILE)

const code = (re: RegExp): z.ZodString => z.string().regex(re)
const PaperSchema = z.object({
  id: code(/^pp_[a-z2-7]{10}$/),
  kind: z.enum(['import', 'export']),
  partner: code(/^[A-Z]{2}$/),
  permit: z.string().min(1).max(100),
  importPermit: z.string().min(1).max(100).optional(),
  species: z.string().min(1).max(200),
  term: code(/^[A-Z]{3}$/),
  quantity: z.number().positive().finite(),
  unit: code(/^([A-Z]{3})?$/),
  source: code(/^[A-Z]$/),
  purpose: code(/^[A-Z]$/),
  appendix: z.enum(['I', 'II', 'III']),
  year: z.number().int().min(1975).max(2099),
  origin: code(/^[A-Z]{2}$/).optional(),
  originPermit: z.string().min(1).max(100).optional(),
  recorded: z.string().datetime()
}).strict()
const FileSchema = z.object({ version: z.literal(1), permits: z.array(PaperSchema).max(1_000_000) }).strict()

/** A paper permit as entered: everything but its ID and the time it was recorded. */
export type NewPaperPermit = Omit<PaperPermit, 'id' | 'recorded'>

const STORE: JsonStore<z.infer<typeof FileSchema>> = {
  what: 'the paper-permit store', schema: FileSchema, empty: () => ({ version: 1, permits: [] }),
  invalid: (message) => new PaperPermitsFileError(message)
}

/** Every paper permit in the store; a missing file is an empty store. */
export function readPaperPermits (path: string): PaperPermit[] {
  return readJsonStore(path, STORE).permits as PaperPermit[]
}

const newId = (): string => newRecordId('pp_')

/** Add one paper permit (shape-checked; codes upper-cased); returns it with its ID. */
export async function addPaperPermit (path: string, p: NewPaperPermit, now = Date.now()): Promise<PaperPermit> {
  const up = (s: string): string => s.trim().toUpperCase()
  const candidate: PaperPermit = {
    ...p, id: newId(), kind: p.kind, partner: up(p.partner), term: up(p.term), unit: up(p.unit), source: up(p.source), purpose: up(p.purpose),
    appendix: up(p.appendix), species: p.species.trim(), permit: p.permit.trim(), recorded: new Date(now).toISOString(),
    ...(p.origin !== undefined ? { origin: up(p.origin) } : {})
  }
  // Checked before writing, so the store never holds a record its reader would refuse.
  const r = PaperSchema.safeParse(candidate)
  if (!r.success) throw new PaperPermitsFileError(`not a paper permit: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  const entry = r.data
  return await updateJsonStore(path, STORE, (f) => {
    while (f.permits.some((x) => x.id === entry.id)) entry.id = newId()
    f.permits.push(entry)
    return entry as PaperPermit
  })
}
