/**
 * Plain words for officers: every code the page can show maps to a sentence
 * that says what it means and what to do. The code itself stays visible in a
 * small details line (for the help desk), never as the message.
 */

/** Box 7/8 term codes (CITES Guidelines for annual reports), the common ones. */
export const TERMS: Record<string, string> = {
  LIV: 'live', SKI: 'skins', SKP: 'skin pieces', LPS: 'small leather products', LPL: 'large leather products', MEA: 'meat',
  BOD: 'bodies', TRO: 'trophies', EGG: 'eggs', EGL: 'live eggs', FEA: 'feathers', HOR: 'horns', IVC: 'ivory carvings', TUS: 'tusks',
  SHE: 'shells', COR: 'raw coral', CAR: 'carvings', EXT: 'extract', DER: 'derivatives', TIM: 'timber', SAW: 'sawn wood', VEN: 'veneer',
  FLO: 'flowers', SEE: 'seeds', ROO: 'roots', LEA: 'leaves', SPE: 'scientific specimens', SKU: 'skulls', BON: 'bones', CLA: 'claws',
  TEE: 'teeth', HAI: 'hair', CAV: 'caviar', FIN: 'fins', GAL: 'gall', OIL: 'oil', POW: 'powder', MED: 'medicine', GAR: 'garments',
  SHO: 'shoes', BEL: 'belts', WAL: 'wallets', HAN: 'handbags', WAT: 'watch straps', SCA: 'scales', PLY: 'plywood', LOG: 'logs'
}

/** Box 11 units (UN/ECE Rec. 20); none means a number of specimens. */
export const UNITS: Record<string, string> = {
  KGM: 'kilograms', GRM: 'grams', LTR: 'litres', MLT: 'millilitres', MTR: 'metres', MTK: 'square metres', MTQ: 'cubic metres',
  PCS: 'specimens', NAR: 'specimens', H87: 'pieces', PR: 'pairs', SET: 'sets', BOT: 'bottles', CTN: 'cartons'
}

/** Box 10 source codes. */
export const SOURCES: Record<string, string> = {
  W: 'taken from the wild', R: 'ranched', D: 'bred in captivity (Appendix I, registered operation)', A: 'artificially propagated plants',
  C: 'bred in captivity', F: 'born in captivity (first generation)', U: 'unknown source', I: 'confiscated or seized', O: 'pre-Convention',
  X: 'taken in the marine environment outside any country', Y: 'assisted production'
}

/** Box 5a purpose codes. */
export const PURPOSES: Record<string, string> = {
  T: 'commercial', Z: 'zoo', G: 'botanical garden', Q: 'circus or travelling exhibition', S: 'scientific', H: 'hunting trophy',
  P: 'personal', M: 'medical (including biomedical research)', E: 'educational', N: 'reintroduction or introduction into the wild',
  B: 'breeding in captivity or artificial propagation', L: 'law enforcement, judicial or forensic'
}

export const DOCUMENT_TYPES: Record<string, string> = { E: 'Export permit', I: 'Import permit', R: 'Re-export certificate', O: 'Other certificate' }

export const unitWords = (unit: string | undefined, qty?: number): string => {
  const w = unit === undefined || unit === '' ? 'specimens' : UNITS[unit] ?? unit
  return qty === 1 && w.endsWith('s') ? w.slice(0, -1) : w
}
export const termWords = (t: string | undefined): string | undefined => t === undefined || t === '' ? undefined : `${TERMS[t] ?? t} (${t})`
export const sourceWords = (s: string | undefined): string | undefined => s === undefined || s === '' ? undefined : `${SOURCES[s] ?? 'code'} (${s})`
export const purposeWords = (p: string | undefined): string | undefined => p === undefined || p === '' ? undefined : `${PURPOSES[p] ?? 'code'} (${p})`

/** What the officer reads for a code, given the permit's parties. */
export interface Ctx { party: string, here: string, destination?: string }

const FORGED = 'Treat it as forged or changed: do not release; hold the goods and call your supervisor.'

/** Sentences by code; `{party}` the issuer, `{here}` this node's country. Prefix matches (SIG_, ISSUER_) after exact ones. */
const SENTENCES: Record<string, string> = {
  // Passes.
  OK: '',
  ISSUER_CONFIRMED: 'Confirmed just now by {party}\'s own node.',
  ISSUED_HERE: 'Issued by this authority ({here}), for export.',
  NOT_ENDORSED_AT_EXPORT: 'Warning: the exporting country\'s customs did not record the export (Box 14 is empty), so count the goods against the quantities authorised (Box 11).',
  // Not passes, not failures.
  NOT_CONFIRMED_BY_ISSUER: '{party}\'s node did not answer: judged from this node\'s copy of {party}\'s signed records. The permit is genuine, but a use or cancellation made at {party} in the last minutes may not be known here.',
  LEDGER_NOT_CONSULTED: 'Not checked: no permit records were asked.',
  NO_TRUSTED_KEY: 'Could not be checked: no trusted key for this country.',
  NOT_CHECKED: 'Not checked, because an earlier check failed.',
  // Failures.
  PERMIT_NOT_FOUND: 'Not known to {here} or to {party}: check the number and the issuing country. If they are right, hold the goods and ask {party}\'s Management Authority.',
  PERMIT_EXPIRED: 'Expired: the permit\'s validity has ended. Do not release on this permit.',
  PERMIT_NOT_YET_VALID: 'Not valid yet: its validity starts later. Do not release on this permit today.',
  VALIDITY_MISSING: 'The permit has no usable validity dates. ' + FORGED,
  PERMIT_CANCELLED: 'Cancelled by {party}. Do not release; hold the goods and report the attempt.',
  PERMIT_REPLACED: 'Replaced by another permit. Ask for the replacement permit and check that one.',
  ALREADY_CONSUMED: 'Already used. Do not release; hold the goods and report a second use of the same permit.',
  ALREADY_CONSUMED_PROVISIONALLY: 'Already used provisionally at another port; {party} has not confirmed it yet. Do not release; call your supervisor.',
  NOT_FOR_THIS_PARTY: 'This permit is for another country. Do not release it into {here}: hold the goods and report a diverted shipment.',
  SECURITY_STAMP_MISMATCH: 'The security stamp on the paper is not the signed permit\'s. The paper may be a copy or altered. ' + FORGED,
  DOCUMENT_NOT_REGISTERED: 'This document is not the one {party} recorded under this number. ' + FORGED,
  XML_HASH_MISMATCH: 'The permit does not match its recorded fingerprint. ' + FORGED,
  PERMIT_MISMATCH: 'The signed permit is not the one asked about. ' + FORGED,
  DOCUMENT_NOT_PRESENTED: 'This node is not a party to this trade: it holds {party}\'s signed summary (state, destination, goods), not the document. Upload the signed document to check its content.',
  DOCUMENT_ERASED: 'The document was erased under the retention rule; {party}\'s signed summary remains. Upload the signed document to check its content.',
  ISSUER_EQUIVOCATED: '{party}\'s records are in conflict (two versions signed): the status cannot be relied on. Do not release; call your supervisor.',
  EVENT_SIGNATURE_INVALID: 'The permit records are not validly signed by {party}. ' + FORGED,
  EVENT_UNKNOWN_AUTHOR: 'The permit records are not signed by a key the trust list gives to {party}. ' + FORGED,
  EVENT_CERT_NOT_GRANTED: 'The permit records were signed with a key not in force at the time. ' + FORGED,
  EVENT_MALFORMED: 'The answer about this permit was damaged. Retry; if it persists, call the help desk.',
  EVENT_WRONG_LOG: 'The answer was about another permit. Retry; if it persists, call the help desk.',
  REMOTE_ERROR: 'The node asked could not give this permit\'s records. Retry; if it persists, call the help desk.',
  PERMIT_UNREADABLE: 'The permit in the document could not be read. ' + FORGED,
  PERMIT_VALUE_INVALID: 'The permit in the document has a value that cannot be read. ' + FORGED,
  RULES: 'The permit breaks a CITES rule. Do not release; call your supervisor.',
  // Answers of the API (not verdict checks).
  TOKEN_MISSING: 'Enter your officer token at the top of the page.',
  TOKEN_INVALID: 'This node does not accept the token entered. Check it, or ask your administrator for a new one.',
  ROLE_FORBIDDEN: 'Your token may check permits but not record uses. Ask a customs officer, or your administrator for a customs token.',
  RATE_LIMITED: 'Too many requests from this desk. Wait a minute, then retry.',
  NODE_BUSY: 'This node is busy. Retry in a few seconds.',
  PEER_RATE_LIMITED: '{party}\'s node is limiting requests from this node. Retry in a few seconds.',
  ISSUER_UNREACHABLE: '{party}\'s node could not be reached, and this node does not record uses without it. Nothing was recorded: do not release on this screen; retry later or follow your fallback procedure.',
  PERMIT_INVALID: 'The permit may not be used (see the checks above). Nothing was recorded.',
  NOT_DESTINATION: 'This permit is for another country: the use was refused and {party} has been told. Hold the goods.',
  QUANTITY_EXCEEDED: 'More than the permit allows on a line. Check the quantities against the permit; nothing was recorded.',
  QUANTITY_NOT_POSITIVE: 'A quantity is too small. Enter the quantity actually presented; nothing was recorded.',
  INVALID_LINES: 'A line or unit is not on the permit. Check the quantities; nothing was recorded.',
  PORT_NOT_LISTED: 'That port is not one of {here}\'s ports. Choose your port from the list; nothing was recorded.',
  REQUEST_INVALID: 'The country or number is not in a valid form. Check them and retry.',
  JSON_INVALID: 'The page sent a damaged request. Reload the page and retry.',
  BODY_TOO_LARGE: 'The file is too large to be a signed permit (more than 1 MB).',
  MEDIA_TYPE_UNSUPPORTED: 'That is not a permit file (XML). Choose the signed permit file.',
  PARTY_NOT_LISTED: 'That issuing country is not on the trust list. Check the two letters of the issuing country.',
  MALFORMED_RESPONSE: '{party}\'s node gave an answer that cannot be used. Do not release on this screen; retry later.',
  INTERNAL: 'This node could not answer. Retry; if it persists, call the help desk.',
  TIMEOUT: 'No answer within {seconds} seconds. The network or the node may be down.',
  NETWORK: 'The connection to this node failed. Check the network connection, then retry.',
  UNREADABLE: 'This node gave an answer the page cannot read. Retry; if it persists, call the help desk.',
  CAMERA: 'The camera could not be used. Type the number instead.'
}

/** The officer's sentence for `code` ('' for a plain pass). Unknown codes get a safe default by family. */
export function sentence (code: string, ctx: Ctx, fallback?: string): string {
  const fill = (s: string): string => s.replace(/\{party\}/g, ctx.party || 'the issuer').replace(/\{here\}/g, ctx.here || 'this country').replace(/\{seconds\}/g, String(TIMEOUT_S))
  const s = SENTENCES[code]
  if (s !== undefined) return fill(s)
  if (code.startsWith('SIG_') || code.startsWith('XML_')) return fill('The document was changed after signing, or its signature is not valid. ' + FORGED)
  if (code.startsWith('ISSUER_')) return fill('Not signed by a key the trust list gives to {party}\'s Management Authority. ' + FORGED)
  return fill(fallback ?? 'The permit does not meet a rule. Do not release; call your supervisor.')
}

/** How long the page waits for a verdict before saying "No answer". */
export const TIMEOUT_S = 20
