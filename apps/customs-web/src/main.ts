/**
 * The customs officer's page: verify a permit by number (with the security
 * stamp), by a scanned QR payload, or by a signed XML file; see the verdict
 * at a glance (its own colour, icon and word for each state), each check in
 * plain words, the goods as Boxes 8-11 and 14 give them, and the history in
 * the officer's time zone; record the use at import; print with a QR code.
 *
 * A verdict on screen is always about the permit asked: starting a check
 * clears the previous one at once, an answer to an older request is
 * dropped, and a check that fails or times out says "No answer — do not
 * release on this screen", never a verdict.
 */
import QRCode from 'qrcode'
import { DOCUMENT_TYPES, TIMEOUT_S, purposeWords, sentence, sourceWords, termWords, unitWords, type Ctx } from './words.js'
import type { Check, Line, LineQty, Problem, Receipt, Verdict, Whoami } from './types.js'
import { day, multiUse, qty, quantities, when } from './format.js'
import { glance, type Glance } from './glance.js'

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id)
  if (e === null) throw new Error(`#${id} missing`)
  return e as T
}
function el (tag: string, s = '', cls = ''): HTMLElement { const e = document.createElement(tag); e.textContent = s; if (cls !== '') e.className = cls; return e }

const LABELS: Record<string, string> = {
  integrity: 'Signature and content', issuer: 'Issuing authority', rules: 'CITES rules', reference: 'Species and listings', validity: 'Validity dates',
  status: 'Status', use: 'Use', confirmation: 'Confirmation by the issuer', destination: 'For this country'
}
const STATUS_WORDS: Record<Check['status'], { word: string, icon: string }> = {
  VALID: { word: 'passed', icon: '✓' }, INVALID: { word: 'failed', icon: '✗' }, ERROR: { word: 'could not be checked', icon: '!' }, SKIPPED: { word: 'not checked', icon: '–' }
}
/** The order the officer reads the checks in: "is it for us?" right after the signature. */
const CHECK_ORDER = ['destination', 'integrity', 'issuer', 'status', 'use', 'validity', 'rules', 'reference', 'confirmation']

// ---- who is signed in, and the node --------------------------------------

const tokenInput = $<HTMLInputElement>('token')
// Back from the identity provider: the session token comes in the fragment
// (never sent to a server); keep it for this tab and take it out of the
// address bar and the history at once.
const fromSignIn = /^#session=(cites_[A-Za-z0-9_-]+)$/.exec(location.hash)?.[1]
if (fromSignIn !== undefined) {
  sessionStorage.setItem('cites-token', fromSignIn)
  history.replaceState(null, '', location.pathname + location.search)
}
tokenInput.value = sessionStorage.getItem('cites-token') ?? ''
// Offer the ministry sign-in only where the node has one (a public answer: no token needed).
void fetch('/auth/methods').then(async (r) => r.ok ? await r.json() as { oidc?: boolean } : {}).then((m) => { $('oidc-signin').hidden = m.oidc !== true }, () => {})
let me: Whoami | undefined
let here = ''

async function api<T> (path: string, init: RequestInit = {}, timeoutMs = TIMEOUT_S * 1000): Promise<{ ok: boolean, status: number, body: T | Problem }> {
  const headers = new Headers(init.headers)
  const token = tokenInput.value.trim()
  if (token !== '') headers.set('authorization', `Bearer ${token}`)
  const ctl = new AbortController()
  const timer = setTimeout(() => { ctl.abort(new DOMException('timeout', 'TimeoutError')) }, timeoutMs)
  try {
    let res: Response
    try {
      res = await fetch(path, { ...init, headers, signal: ctl.signal })
    } catch {
      return { ok: false, status: 0, body: { code: ctl.signal.aborted ? 'TIMEOUT' : 'NETWORK' } }
    }
    let text: string
    try { text = await res.text() } catch { return { ok: false, status: 0, body: { code: ctl.signal.aborted ? 'TIMEOUT' : 'NETWORK' } } }
    let body: unknown
    try { body = JSON.parse(text) } catch { body = { code: 'UNREADABLE' } }
    if (!res.ok && (typeof body !== 'object' || body === null || typeof (body as Problem).code !== 'string')) body = { code: 'UNREADABLE' }
    return { ok: res.ok, status: res.status, body: body as T | Problem }
  } finally {
    clearTimeout(timer)
  }
}

const ROLE_WORDS: Record<Whoami['role'], string> = { viewer: 'viewer (check only)', customs: 'customs officer (check and record uses)', issuer: 'issuing authority (all actions)' }

/** The header: this node, the signed-in role, and which other authorities' nodes answer now. Refreshed every 15 s. */
async function refreshNode (): Promise<void> {
  const health = await fetch('/health').then(async (x) => await x.json() as { party?: string, peers?: number }).catch(() => undefined)
  if (health?.party !== undefined) here = health.party
  const who = tokenInput.value.trim() === '' ? undefined : await api<Whoami>('/v1/whoami', {}, 10_000)
  const whoami = $('whoami')
  if (who?.ok === true) {
    me = who.body as Whoami
    here = me.party
    whoami.textContent = `Signed in as ${ROLE_WORDS[me.role]}`
    whoami.dataset.role = me.role
  } else {
    me = undefined
    delete whoami.dataset.role
    whoami.textContent = who === undefined ? 'Not signed in: enter your token' : `Not signed in: ${sentence((who.body as Problem).code, ctx())}`
  }
  const info = $('node-info')
  if (health === undefined) { info.textContent = 'This node does not answer: check the network'; info.dataset.state = 'down'; return }
  info.dataset.state = 'up'
  if (me !== undefined) {
    const { connected, unreachable } = me.peers
    info.textContent = `Node of ${here} — connected to ${connected.length === 0 ? 'no other authority' : connected.join(', ')}` +
      (unreachable.length > 0 ? `; not reachable now: ${unreachable.join(', ')}` : '')
  } else {
    info.textContent = `Node of ${here} — ${health.peers ?? 0} other ${health.peers === 1 ? 'authority' : 'authorities'} connected`
  }
  if (current !== undefined) renderConsume(current)
}
tokenInput.addEventListener('change', () => { sessionStorage.setItem('cites-token', tokenInput.value.trim()); void refreshNode() })
setInterval(() => { void refreshNode() }, 15_000)

// ---- the verdict -------------------------------------------------------------

const ctx = (v?: Pick<Verdict, 'party'>): Ctx => ({ party: v?.party ?? '', here })

/** Show one state in the banner, move the focus to it and bring it into view. */
function setBanner (g: Glance, what: string, codes: string[], retry?: () => void): void {
  $('result').hidden = false
  const banner = $('banner')
  banner.className = `banner ${g.cls}`
  banner.dataset.verdict = g.cls
  delete banner.dataset.outcome
  $('banner-icon').textContent = g.icon
  $('banner-word').textContent = g.word
  $('banner-what').textContent = what
  $('banner-todo').textContent = g.todo
  $('banner-codes').textContent = codes.length > 0 ? `Codes: ${codes.join(', ')}` : ''
  const btn = $<HTMLButtonElement>('retry-btn')
  btn.hidden = retry === undefined
  retryAction = retry
  banner.focus({ preventScroll: true })
  banner.scrollIntoView({ block: 'start' })
}
let retryAction: (() => void) | undefined
$('retry-btn').addEventListener('click', () => { retryAction?.() })

/** Forget the previous permit at once: nothing of it may stay on screen while another is checked. */
function clearVerdict (): void {
  current = undefined
  $('details').hidden = true
  $('consume').hidden = true
  for (const id of ['checks', 'fields', 'goods', 'history', 'consume-lines']) $(id).replaceChildren()
  $<HTMLImageElement>('qr').removeAttribute('src')
  $('qr-text').textContent = ''
}

let current: Verdict | undefined
/** The request whose answer may be shown; any older answer is dropped. */
let asked = 0

/** Show a verdict; `keepBanner`: the details only (the banner holds a recording's result). */
async function show (v: Verdict, keepBanner = false): Promise<void> {
  current = v
  const c = ctx(v)
  const g = glance(v, here)
  const codes = [...new Set(v.checks.filter((x) => x.status !== 'VALID').map((x) => x.reason.code))]
  if (!keepBanner) setBanner(g, `${v.party}/${v.number}${v.permit !== undefined ? ` — ${DOCUMENT_TYPES[v.permit.type] ?? v.permit.type}` : ''}`, codes, () => { void verifyNumber(v.party, v.number) })
  $('details').hidden = false
  const ordered = [...v.checks].sort((a, b) => CHECK_ORDER.indexOf(a.name) - CHECK_ORDER.indexOf(b.name))
  $('checks').replaceChildren(...ordered.map((x) => {
    const s = STATUS_WORDS[x.status]
    const li = el('li', '', `check ${x.status.toLowerCase()}`)
    const words = x.status === 'VALID' && x.reason.code === 'OK' ? capital(x.reason.message) : (x.name === 'rules' && x.status === 'INVALID' ? `${sentence('RULES', c)} ${capital(x.reason.message)}.` : sentence(x.reason.code, c, capital(x.reason.message)))
    li.append(el('span', s.icon, 'icon'), el('strong', `${LABELS[x.name] ?? x.name}: ${s.word}. `), el('span', words), el('span', ` Code: ${x.reason.code}`, 'code'))
    return li
  }))
  const fields = $('fields')
  const p = v.permit
  const add = (k: string, val: string | undefined): void => { if (val !== undefined && val !== '') fields.append(el('dt', k), el('dd', val)) }
  fields.replaceChildren()
  add('Document', p !== undefined ? `${DOCUMENT_TYPES[p.type] ?? p.type} ${p.number}, issued by ${v.party}` : `${v.party}/${v.number}`)
  add('Exporter (Box 4)', p?.exporter !== undefined ? `${p.exporter.name ?? ''} (${p.exporter.country ?? '?'})` : undefined)
  add('Importer (Box 3)', p?.importer !== undefined ? `${p.importer.name ?? ''} (${p.importer.country ?? '?'})` : undefined)
  add('Made out to', v.state?.destination ?? p?.importer?.country)
  add('Valid (Box 2)', p !== undefined ? `${p.validFrom !== undefined ? day(p.validFrom) : '?'} to ${p.validUntil !== undefined ? day(p.validUntil) : '?'}` : undefined)
  add('Purpose (Box 5a)', purposeWords(p?.purpose))
  add('Export endorsed (Box 14)', v.state?.endorsement !== undefined ? `at ${v.state.endorsement.port}` : undefined)
  add('Answered by', v.source === 'issuer' ? `${v.party}'s own node` : v.source === 'replica' ? `this node's copy of ${v.party}'s signed records (${v.party}'s node did not answer)` : 'nobody: the permit is not known')
  $('goods').replaceChildren(...(p?.lines ?? []).map((l) => {
    const q = quantities(v, l)
    const card = el('section', '', 'good')
    card.setAttribute('aria-label', `Line ${l.line}`)
    card.append(el('h3', `Line ${l.line}: ${l.scientificName ?? '?'}${l.commonName !== undefined ? ` (${l.commonName})` : ''}`))
    const dl = document.createElement('dl')
    const row = (k: string, val: string | undefined): void => { if (val !== undefined && val !== '') dl.append(el('dt', k), el('dd', val)) }
    row('What (Box 8)', [termWords(l.term), l.description].filter((x) => x !== undefined && x !== '').join(' — '))
    row('Appendix (Box 10)', l.appendix)
    row('Source (Box 10)', sourceWords(l.source))
    row('Quantity (Box 11)', qty(q.authorised, q.unit))
    row('Endorsed at export (Box 14)', q.endorsed !== undefined ? qty(q.endorsed, l.exportedUnit ?? q.unit) : 'not endorsed')
    row('Remaining to use', q.remaining !== undefined ? qty(q.remaining, q.unit) : undefined)
    row('Origin (Box 12)', l.originCountry)
    row('Last re-export (Box 12a)', l.exportCountry)
    row('Marks', l.marks)
    card.append(dl)
    return card
  }))
  $('history').replaceChildren(...(v.history ?? []).map((h) => {
    const b = h.body
    const lines = Array.isArray(b.lines) ? (b.lines as LineQty[]).map((x) => `${x.line}: ${qty(x.quantity, x.unit)}`).join(', ') : ''
    const type = h.type === 'ISSUED' ? 'issued' : h.type === 'EXPORT_ENDORSED' ? 'export endorsed' : h.type === 'CONSUMED' ? 'used at import' : h.type === 'PROVISIONAL_CONSUMED' ? 'used provisionally' : h.type.replace(/_/g, ' ').toLowerCase()
    return el('li', `${when(h.time)} — ${type}${typeof b.port === 'string' ? ` at ${b.port}` : ''}${h.type !== 'ISSUED' && lines !== '' ? ` (${lines})` : ''}`)
  }))
  const qrText = `cites:${v.party}/${v.number}${v.state?.xmlSha256 !== undefined ? `#${v.state.xmlSha256}` : ''}`
  $<HTMLImageElement>('qr').src = await QRCode.toDataURL(qrText, { margin: 1, width: 192 })
  $('qr-text').textContent = qrText
  renderConsume(v)
}
const capital = (s: string): string => s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1)

/**
 * Export customs (issue 20): at the issuing authority's own node a permit is
 * presented on the way out, so the form records the export endorsement
 * (Box 14) instead of a use, once, before any use.
 */
const exportHere = (v: Verdict): boolean => me !== undefined && v.party === me.party && (v.state?.destination ?? v.permit?.importer?.country) !== me.party
/** The use form (or, at export, the Box 14 form): only when the act is possible here and the token may record it. */
function renderConsume (v: Verdict): void {
  const lines = v.permit?.lines ?? []
  const mayRecord = me !== undefined && (me.role === 'customs' || me.role === 'issuer')
  const atExport = exportHere(v)
  const possible = v.valid && lines.length > 0 && (multiUse(v) || v.state?.consumption === undefined) && (!atExport || v.state?.endorsement === undefined)
  $('consume').hidden = !(mayRecord && possible)
  if ($('consume').hidden) return
  $('consume').dataset.mode = atExport ? 'export' : 'import'
  $('h-consume').textContent = atExport ? 'Record the export (Box 14)' : 'Record the use at import'
  $('consume-btn').textContent = atExport ? 'Record export' : 'Record use'
  const fs = $('consume-lines')
  if (fs.dataset.permit === `${v.party}/${v.number}` && fs.childElementCount > 1) return
  fs.dataset.permit = `${v.party}/${v.number}`
  fs.replaceChildren(el('legend', atExport ? 'Quantity leaving the country, per line' : 'Quantity presented, per line'), ...lines.map((l) => {
    const q = quantities(v, l)
    const wrap = el('div', '', 'line')
    const id = `q-${l.line}`
    const lab = el('label', `Line ${l.line}: ${l.scientificName ?? ''}${l.commonName !== undefined ? ` (${l.commonName})` : ''}, in ${unitWords(l.unit)}${q.remaining !== undefined ? ` (at most ${q.remaining})` : ''}`) as HTMLLabelElement
    lab.htmlFor = id
    const input = document.createElement('input')
    // Starts at what remains endorsed (Box 14); empty when not endorsed, for the officer to count.
    Object.assign(input, { id, type: 'number', min: '0', step: 'any', inputMode: 'decimal', value: q.endorsed !== undefined && q.remaining !== undefined ? String(q.remaining) : '' })
    if (q.remaining !== undefined) input.max = String(q.remaining)
    input.dataset.line = l.line
    input.dataset.unit = l.unit ?? ''
    wrap.append(lab, input)
    return wrap
  }))
  const box = $('port-box')
  const ports = me?.ports ?? []
  if (ports.length > 0) {
    const sel = document.createElement('select')
    Object.assign(sel, { id: 'port', name: 'port', required: true })
    sel.append(new Option('Choose your port', ''), ...ports.map((p) => new Option(`${p.name} (${p.locode})`, p.locode)))
    if (ports.length === 1) sel.value = ports[0]!.locode
    const lab = el('label', atExport ? 'Port of export' : 'Port of import') as HTMLLabelElement
    lab.htmlFor = 'port'
    box.replaceChildren(lab, sel)
  } else {
    const lab = el('label', `Port of ${atExport ? 'export' : 'import'} (UN/LOCODE, five letters, e.g. ${atExport ? 'CHZRH' : 'THBKK'})`) as HTMLLabelElement
    lab.htmlFor = 'port'
    const input = document.createElement('input')
    // No maxlength: a longer entry must fail validation, not be cut to five letters and signed.
    Object.assign(input, { id: 'port', name: 'port', required: true, pattern: '[A-Za-z]{2}[A-Za-z2-9]{3}', title: 'five characters: the country code and three letters or digits, e.g. THBKK', autocapitalize: 'characters' })
    box.replaceChildren(lab, input)
  }
}

// ---- asking --------------------------------------------------------------------

function noAnswer (what: string, p: Problem, party: string, retry: () => void): void {
  const c = { party, here }
  // Refusals of the token are not "no answer" about the permit, but the officer must not release either.
  setBanner({ cls: 'noanswer', icon: '⚠', word: 'No answer — do not release on this screen', todo: sentence(p.code, c) }, what, [p.code], retry)
}

async function ask (what: string, party: string, body: string, type: string, retry: () => void): Promise<void> {
  const id = ++asked
  clearVerdict()
  setBanner({ cls: 'pending', icon: '…', word: 'Checking — wait for the answer', todo: 'Do not release until a verdict is shown here.' }, what, [])
  const r = await api<Verdict>('/v1/verify', { method: 'POST', headers: { 'content-type': type }, body })
  if (id !== asked) return // another check was started since: this answer is about another permit
  if (r.ok && typeof (r.body as Verdict).valid === 'boolean') await show(r.body as Verdict)
  else noAnswer(what, r.body as Problem, party, retry)
}

async function verifyNumber (party: string, number: string, stamp = '', qrHash?: string): Promise<void> {
  // A QR code's fingerprint goes to the node, which checks it against the recorded hash (DOCUMENT_NOT_REGISTERED).
  await ask(`${party}/${number}`, party, JSON.stringify({ party, number, ...(stamp !== '' ? { securityStamp: stamp } : {}), ...(qrHash !== undefined ? { sha256: qrHash } : {}) }), 'application/json', () => { void verifyNumber(party, number, stamp, qrHash) })
}
async function verifyXml (xml: string): Promise<void> {
  await ask('the signed document', '', xml, 'application/xml', () => { void verifyXml(xml) })
}

/**
 * What the number box holds: a scanned QR payload (`cites:CH/NUMBER#hash`),
 * `CH/NUMBER`, or a number alone. Read case-insensitively: upper-cased and
 * trimmed (the canonical form of permit numbers, issue 12, when it lands).
 */
export function readNumberBox (raw: string): { party?: string, number: string, hash?: string } {
  const s = raw.trim()
  const m = /^(?:cites:)?([A-Za-z]{2})\/([^#\s]{1,64})(?:#([0-9A-Fa-f]{64}))?$/i.exec(s)
  if (m !== null) return { party: m[1]!.toUpperCase(), number: m[2]!.toUpperCase(), ...(m[3] !== undefined ? { hash: m[3].toLowerCase() } : {}) }
  return { number: s.replace(/\s+/g, ' ').toUpperCase() }
}

const numberBox = $<HTMLInputElement>('number')
const partyBox = $<HTMLInputElement>('party')
let pendingHash: string | undefined
/** A scanner types the payload into the box: split it into country and number as soon as it is recognised. */
function takePayload (): void {
  const r = readNumberBox(numberBox.value)
  if (r.party === undefined) return
  partyBox.value = r.party
  numberBox.value = r.number
  pendingHash = r.hash
}
numberBox.addEventListener('input', takePayload)
numberBox.addEventListener('change', takePayload)

$<HTMLFormElement>('by-number').addEventListener('submit', (e) => {
  e.preventDefault()
  takePayload()
  const r = readNumberBox(numberBox.value)
  const party = (r.party ?? partyBox.value).trim().toUpperCase()
  partyBox.value = party
  numberBox.value = r.number
  const hash = r.hash ?? pendingHash
  pendingHash = undefined
  void verifyNumber(party, r.number, $<HTMLInputElement>('stamp').value.trim(), hash)
})
$('verify-xml-btn').addEventListener('click', () => {
  const xml = $<HTMLTextAreaElement>('xml').value.trim()
  if (xml !== '') void verifyXml(xml)
})
const readFileToBox = async (f: File | undefined): Promise<void> => {
  if (f === undefined) return
  if (f.size > 1024 * 1024) { clearVerdict(); noAnswer(f.name, { code: 'BODY_TOO_LARGE' }, '', () => {}); return }
  const xml = await f.text()
  $<HTMLTextAreaElement>('xml').value = xml
  await verifyXml(xml)
}
$<HTMLInputElement>('file').addEventListener('change', (e) => { void readFileToBox((e.target as HTMLInputElement).files?.[0]) })
const drop = $('drop')
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over') })
drop.addEventListener('dragleave', () => { drop.classList.remove('over') })
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); void readFileToBox(e.dataTransfer?.files[0]) })

interface Detector { detect: (src: HTMLVideoElement) => Promise<Array<{ rawValue: string }>> }
const BarcodeDetectorCtor = (globalThis as unknown as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector
if (BarcodeDetectorCtor !== undefined && navigator.mediaDevices?.getUserMedia !== undefined) {
  const btn = $('scan-btn')
  btn.hidden = false
  btn.addEventListener('click', () => {
    void (async () => {
      const video = $<HTMLVideoElement>('camera')
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } })
      video.srcObject = stream
      video.hidden = false
      await video.play()
      const det = new BarcodeDetectorCtor({ formats: ['qr_code'] })
      const stop = (): void => { for (const t of stream.getTracks()) t.stop(); video.hidden = true }
      for (let i = 0; i < 600; i++) {
        const codes = await det.detect(video).catch(() => [])
        const hit = codes.map((c) => readNumberBox(c.rawValue)).find((x) => x.party !== undefined)
        if (hit?.party !== undefined) {
          stop()
          partyBox.value = hit.party
          numberBox.value = hit.number
          await verifyNumber(hit.party, hit.number, '', hit.hash)
          return
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      stop()
    })().catch(() => { noAnswer('the camera', { code: 'CAMERA' }, '', () => {}) })
  })
}

// ---- recording a use --------------------------------------------------------------

$<HTMLFormElement>('consume-form').addEventListener('submit', (e) => {
  e.preventDefault()
  const v = current
  if (v === undefined) return
  const lines = [...document.querySelectorAll<HTMLInputElement>('#consume-lines input')]
    .filter((i) => i.value !== '' && Number(i.value) > 0)
    .map((i) => ({ line: i.dataset.line ?? '', quantity: Number(i.value), ...(i.dataset.unit !== '' ? { unit: i.dataset.unit } : {}) }))
  const port = ($('port') as HTMLInputElement | HTMLSelectElement).value.trim().toUpperCase()
  const officer = $<HTMLInputElement>('officer').value.trim()
  const what = `${v.party}/${v.number}`
  if (lines.length === 0) {
    setBanner({ cls: 'refused', icon: '✗', word: 'Not recorded', todo: 'Enter the quantity presented on at least one line.' }, what, [])
    return
  }
  // "30 of 50 kilograms" per line: what was recorded, against what the permit allows.
  const of = lines.map((l) => {
    const pl = v.permit?.lines.find((x) => x.line === l.line)
    const cap = pl !== undefined ? quantities(v, pl).remaining : undefined
    return `${lines.length > 1 ? `line ${l.line}: ` : ''}${l.quantity}${cap !== undefined ? ` of ${cap}` : ''} ${unitWords(l.unit ?? pl?.unit, cap ?? l.quantity)}`
  }).join(', ')
  const id = ++asked
  $('consume').hidden = true
  setBanner({ cls: 'pending', icon: '…', word: 'Recording — wait for the answer', todo: 'Do not release until the answer is shown here.' }, what, [])
  if ($('consume').dataset.mode === 'export') { void recordExport(v, id, what, lines, port, officer, of); return }
  void (async () => {
    const r = await api<{ outcome: string, receipt?: Receipt, message?: string }>(`/v1/permits/${v.party}/${encodeURIComponent(v.number)}/consumptions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines, port, ...(officer !== '' ? { officer } : {}) })
    })
    if (id !== asked) return
    const c = ctx(v)
    let g: Glance
    let codes: string[] = []
    if (r.ok && (r.body as { outcome?: string }).outcome === 'CONSUMED') {
      const b = r.body as { receipt?: Receipt }
      g = { cls: 'recorded', icon: '✓', word: `Recorded ${of} at ${b.receipt?.port ?? port}`, todo: `Confirmed by ${v.party}'s node${b.receipt?.consumedAt !== undefined ? ` on ${when(b.receipt.consumedAt)}` : ''}. The permit is now used: any later use will be refused.` }
    } else if (r.ok && (r.body as { outcome?: string }).outcome === 'PROVISIONAL') {
      g = { cls: 'provisional', icon: '⏸', word: `Recorded provisionally: ${of} at ${port}`, todo: `${v.party}'s node could not be reached, so ${v.party} has not confirmed this use. It will confirm or refuse it when the nodes reconnect, and this page will then show it. Release only if your procedure allows release on a provisional record; keep the permit paper and note the time.` }
      codes = ['PROVISIONAL']
    } else if (r.status === 0) {
      g = { cls: 'noanswer', icon: '⚠', word: 'No answer — the use may or may not be recorded', todo: `${sentence((r.body as Problem).code, c)} Check the permit again before retrying: it will show whether the use was recorded.` }
      codes = [(r.body as Problem).code]
    } else {
      const p = r.body as Problem
      const prior = p.receipt !== undefined ? ` Used on ${when(p.receipt.consumedAt)} at ${p.receipt.port}.` : ''
      g = { cls: 'refused', icon: '✗', word: 'Not recorded — refused', todo: `${sentence(p.code, c, p.detail)}${prior}` }
      codes = [p.code]
    }
    setBanner(g, what, codes, r.status === 0 ? () => { void verifyNumber(v.party, v.number) } : undefined)
    const outcome = r.ok ? (r.body as { outcome: string }).outcome : (r.body as Problem).code
    $('banner').dataset.outcome = outcome
    // The details below follow the new state; the banner keeps the recording's result.
    const again = await api<Verdict>('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ party: v.party, number: v.number }) })
    if (id !== asked || !again.ok) return
    await show(again.body as Verdict, true)
    $('consume').hidden = true
  })()
})

/** Box 14 at export customs: POST …/endorsements, the result in the banner, then the permit shown again. */
async function recordExport (v: Verdict, id: number, what: string, lines: Array<{ line: string, quantity: number, unit?: string }>, port: string, officer: string, of: string): Promise<void> {
  const r = await api<{ status: string, endorsement?: { port: string, date: string } }>(`/v1/permits/${v.party}/${encodeURIComponent(v.number)}/endorsements`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines, port, ...(officer !== '' ? { officer } : {}) })
  })
  if (id !== asked) return
  const c = ctx(v)
  if (r.ok) {
    const b = r.body as { endorsement?: { port: string, date: string } }
    setBanner({ cls: 'recorded', icon: '✓', word: `Export recorded: ${of} at ${b.endorsement?.port ?? port}`, todo: `Box 14 is signed by ${v.party}${b.endorsement?.date !== undefined ? ` on ${when(b.endorsement.date)}` : ''}; the importing country can use at most these quantities.` }, what, [])
    $('banner').dataset.outcome = 'ENDORSED'
  } else {
    const p = r.body as Problem
    setBanner(r.status === 0
      ? { cls: 'noanswer', icon: '⚠', word: 'No answer — the export may or may not be recorded', todo: `${sentence(p.code, c)} Check the permit again before retrying.` }
      : { cls: 'refused', icon: '✗', word: 'Export not recorded — refused', todo: sentence(p.code, c, p.detail) }, what, [p.code], r.status === 0 ? () => { void verifyNumber(v.party, v.number) } : undefined)
    $('banner').dataset.outcome = p.code
  }
  const again = await api<Verdict>('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ party: v.party, number: v.number }) })
  if (id !== asked || !again.ok) return
  await show(again.body as Verdict, true)
  $('consume').hidden = true
}

$('print-btn').addEventListener('click', () => { window.print() })

void refreshNode()
