/**
 * The customs officer's page: verify a permit by number (with the security
 * stamp), by a signed XML file (dropped, chosen or pasted) or by a QR code
 * (camera, where the browser has BarcodeDetector); see the verdict at a
 * glance with each check in plain words, the key fields and the history;
 * record the use at import; print a permit with its QR code.
 */
import QRCode from 'qrcode'

interface Check { name: string, status: 'VALID' | 'INVALID' | 'ERROR' | 'SKIPPED', reason: { code: string, message: string } }
interface Line { line: string, scientificName?: string, commonName?: string, appendix?: string, quantity?: number, unit?: string }
interface Verdict {
  valid: boolean
  checks: Check[]
  party: string
  number: string
  source: string
  state?: { xmlSha256?: string, destination?: string, status?: string }
  permit?: { number: string, type: string, validFrom?: string, validUntil?: string, purpose?: string, exporter?: { name?: string, country?: string }, importer?: { name?: string, country?: string }, lines: Line[] }
  history?: Array<{ seq: number, type: string, time: string, body: Record<string, unknown> }>
  receipt?: { consumedAt: string, port: string, consumingParty: string }
}
interface Problem { code: string, detail: string, receipt?: { consumedAt: string, port: string } }

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`#${id} missing`)
  return el as T
}

const LABELS: Record<string, string> = {
  integrity: 'Signature and content', issuer: 'Issuing authority', rules: 'CITES rules', validity: 'Validity dates',
  status: 'Status', use: 'Use', confirmation: 'Confirmation by the issuer'
}
const STATUS_WORDS: Record<Check['status'], string> = { VALID: 'passed', INVALID: 'failed', ERROR: 'could not be checked', SKIPPED: 'not checked' }

const tokenInput = $<HTMLInputElement>('token')
tokenInput.value = sessionStorage.getItem('cites-token') ?? ''
tokenInput.addEventListener('change', () => { sessionStorage.setItem('cites-token', tokenInput.value.trim()) })

async function api<T> (path: string, init: RequestInit = {}): Promise<{ ok: boolean, status: number, body: T | Problem }> {
  const headers = new Headers(init.headers)
  const token = tokenInput.value.trim()
  if (token !== '') headers.set('authorization', `Bearer ${token}`)
  const res = await fetch(path, { ...init, headers })
  const text = await res.text()
  let body: unknown
  try { body = JSON.parse(text) } catch { body = { code: 'UNREADABLE', detail: text.slice(0, 200) } }
  return { ok: res.ok, status: res.status, body: body as T | Problem }
}

/** The verdict in one word (and a class for its colour). */
function glance (v: Verdict): { word: string, cls: string } {
  const code = (n: string): string | undefined => v.checks.find((c) => c.name === n && (c.status === 'INVALID' || c.status === 'ERROR'))?.reason.code
  if (code('use') === 'ALREADY_CONSUMED') return { word: 'Consumed: already used', cls: 'consumed' }
  if (code('use') === 'ALREADY_CONSUMED_PROVISIONALLY') return { word: 'Consumed (provisionally, not confirmed by issuer)', cls: 'consumed' }
  if (code('status') === 'PERMIT_CANCELLED') return { word: 'Cancelled', cls: 'cancelled' }
  if (code('status') === 'PERMIT_REPLACED') return { word: 'Replaced', cls: 'cancelled' }
  if (code('validity') === 'PERMIT_EXPIRED') return { word: 'Expired', cls: 'expired' }
  if (v.valid) {
    const confirmed = v.checks.find((c) => c.name === 'confirmation')?.status === 'VALID'
    return confirmed ? { word: 'Valid', cls: 'valid' } : { word: 'Valid, not confirmed by issuer', cls: 'unconfirmed' }
  }
  return { word: 'Invalid', cls: 'invalid' }
}

function text (el: HTMLElement, s: string): HTMLElement { el.textContent = s; return el }
function el (tag: string, s = '', cls = ''): HTMLElement { const e = document.createElement(tag); e.textContent = s; if (cls !== '') e.className = cls; return e }

let current: Verdict | undefined

async function show (v: Verdict): Promise<void> {
  const samePermit = current !== undefined && current.party === v.party && current.number === v.number
  current = v
  $('result').hidden = false
  const g = glance(v)
  const banner = $('banner')
  banner.className = `banner ${g.cls}`
  banner.dataset.verdict = g.cls
  text(banner, `${g.word} — ${v.party}/${v.number}`)
  const checks = $('checks')
  checks.replaceChildren(...v.checks.map((c) => {
    const li = el('li', '', `check ${c.status.toLowerCase()}`)
    li.append(el('strong', `${LABELS[c.name] ?? c.name}: ${STATUS_WORDS[c.status]}. `), el('span', c.reason.message), el('code', ` ${c.reason.code}`))
    return li
  }))
  const fields = $('fields')
  const p = v.permit
  const add = (k: string, val: string | undefined): void => { if (val !== undefined && val !== '') fields.append(el('dt', k), el('dd', val)) }
  fields.replaceChildren()
  add('Document', p !== undefined ? `${p.type === 'E' ? 'Export permit' : p.type === 'I' ? 'Import permit' : p.type === 'R' ? 'Re-export certificate' : p.type === 'O' ? 'Other certificate' : p.type} ${p.number}` : `${v.party}/${v.number}`)
  add('Exporter', p?.exporter !== undefined ? `${p.exporter.name ?? ''} (${p.exporter.country ?? '?'})` : undefined)
  add('Importer', p?.importer !== undefined ? `${p.importer.name ?? ''} (${p.importer.country ?? '?'})` : undefined)
  add('Valid', p !== undefined ? `${(p.validFrom ?? '').slice(0, 10)} to ${(p.validUntil ?? '').slice(0, 10)}` : undefined)
  add('Purpose', p?.purpose)
  add('Answered by', v.source === 'issuer' ? 'the issuing authority\'s node' : v.source === 'replica' ? 'this node\'s copy of the issuer\'s records' : 'nobody')
  const tbody = $('lines').querySelector('tbody') as HTMLTableSectionElement
  tbody.replaceChildren(...(p?.lines ?? []).map((l) => {
    const tr = document.createElement('tr')
    tr.append(el('td', l.line), el('td', `${l.scientificName ?? ''}${l.commonName !== undefined ? ` (${l.commonName})` : ''}`), el('td', l.appendix ?? ''), el('td', `${l.quantity ?? ''} ${l.unit ?? 'specimens'}`))
    return tr
  }))
  $('history').replaceChildren(...(v.history ?? []).map((h) => el('li', `${h.time.slice(0, 16).replace('T', ' ')} — ${h.type.replace(/_/g, ' ').toLowerCase()}${typeof h.body.port === 'string' ? ` at ${h.body.port}` : ''}`)))
  // The print view's QR code: party, number and the permit's hash.
  const qrText = `cites:${v.party}/${v.number}${v.state?.xmlSha256 !== undefined ? `#${v.state.xmlSha256}` : ''}`
  ;($('qr') as HTMLImageElement).src = await QRCode.toDataURL(qrText, { margin: 1, width: 192 })
  text($('qr-text'), qrText)
  // The use form: one quantity per line, prefilled with the permit's.
  const canConsume = v.valid || v.checks.every((c) => c.name === 'use' || c.status !== 'INVALID')
  $('consume').hidden = !(canConsume && (p?.lines.length ?? 0) > 0)
  const fs = $('consume-lines')
  fs.replaceChildren(el('legend', 'Quantity per line'), ...(p?.lines ?? []).map((l) => {
    const wrap = el('div', '', 'line')
    const id = `q-${l.line}`
    const lab = el('label', `Line ${l.line} (${l.unit ?? 'specimens'})`) as HTMLLabelElement
    lab.htmlFor = id
    const input = document.createElement('input')
    Object.assign(input, { id, type: 'number', min: '0', step: 'any', value: String(l.quantity ?? '') })
    input.dataset.line = l.line
    input.dataset.unit = l.unit ?? ''
    wrap.append(lab, input)
    return wrap
  }))
  if (!samePermit) { text($('consume-result'), ''); delete $('consume-result').dataset.outcome }
}

function showProblem (status: number, p: Problem): void {
  $('result').hidden = false
  $('consume').hidden = true
  const banner = $('banner')
  banner.className = 'banner invalid'
  banner.dataset.verdict = 'error'
  text(banner, status === 401 || status === 403 ? `Not allowed: ${p.detail}` : `Could not check: ${p.detail} (${p.code})`)
  $('checks').replaceChildren()
  $('fields').replaceChildren()
  $('history').replaceChildren()
}

async function verify (body: string, type: string): Promise<void> {
  text($('banner'), 'Checking…')
  const r = await api<Verdict>('/v1/verify', { method: 'POST', headers: { 'content-type': type }, body })
  if (r.ok) await show(r.body as Verdict)
  else showProblem(r.status, r.body as Problem)
}

$<HTMLFormElement>('by-number').addEventListener('submit', (e) => {
  e.preventDefault()
  const party = $<HTMLInputElement>('party').value.trim().toUpperCase()
  const number = $<HTMLInputElement>('number').value.trim()
  const stamp = $<HTMLInputElement>('stamp').value.trim()
  void verify(JSON.stringify({ party, number, ...(stamp !== '' ? { securityStamp: stamp } : {}) }), 'application/json')
})
$('verify-xml-btn').addEventListener('click', () => {
  const xml = $<HTMLTextAreaElement>('xml').value.trim()
  if (xml !== '') void verify(xml, 'application/xml')
})
const readFileToBox = async (f: File | undefined): Promise<void> => {
  if (f === undefined) return
  if (f.size > 1024 * 1024) { showProblem(413, { code: 'BODY_TOO_LARGE', detail: 'the file is larger than 1 MiB' }); return }
  const xml = await f.text()
  $<HTMLTextAreaElement>('xml').value = xml
  await verify(xml, 'application/xml')
}
$<HTMLInputElement>('file').addEventListener('change', (e) => { void readFileToBox((e.target as HTMLInputElement).files?.[0]) })
const drop = $('drop')
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over') })
drop.addEventListener('dragleave', () => { drop.classList.remove('over') })
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); void readFileToBox(e.dataTransfer?.files[0]) })

/** `cites:CH/26CH000123#hash` (our print view) or a bare `CH/26CH000123`. */
function fromQr (s: string): { party: string, number: string } | undefined {
  const m = /^(?:cites:)?([A-Z]{2})\/([^#\s]{1,64})/.exec(s.trim())
  return m === null ? undefined : { party: m[1] as string, number: m[2] as string }
}
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
        const hit = codes.map((c) => fromQr(c.rawValue)).find((x) => x !== undefined)
        if (hit !== undefined) {
          stop()
          $<HTMLInputElement>('party').value = hit.party
          $<HTMLInputElement>('number').value = hit.number
          await verify(JSON.stringify(hit), 'application/json')
          return
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      stop()
    })().catch((err: Error) => { showProblem(0, { code: 'CAMERA', detail: err.message }) })
  })
}

$<HTMLFormElement>('consume-form').addEventListener('submit', (e) => {
  e.preventDefault()
  if (current === undefined) return
  const lines = [...document.querySelectorAll<HTMLInputElement>('#consume-lines input')]
    .filter((i) => i.value !== '' && Number(i.value) > 0)
    .map((i) => ({ line: i.dataset.line ?? '', quantity: Number(i.value), ...(i.dataset.unit !== '' ? { unit: i.dataset.unit } : {}) }))
  const port = $<HTMLInputElement>('port').value.trim().toUpperCase()
  const officer = $<HTMLInputElement>('officer').value.trim()
  const v = current
  void (async () => {
    const r = await api<{ outcome: string, receipt?: { consumedAt: string, port: string }, message?: string }>(`/v1/permits/${v.party}/${encodeURIComponent(v.number)}/consumptions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines, port, ...(officer !== '' ? { officer } : {}) })
    })
    const out = $('consume-result')
    if (r.ok) {
      const b = r.body as { outcome: string, receipt?: { consumedAt: string, port: string }, message?: string }
      out.dataset.outcome = b.outcome
      text(out, b.outcome === 'CONSUMED' ? `Use recorded and confirmed by the issuer at ${b.receipt?.port ?? port}.` : `Use recorded provisionally: not confirmed by issuer. ${b.message ?? ''}`)
    } else {
      const p = r.body as Problem
      out.dataset.outcome = p.code
      text(out, p.code === 'ALREADY_CONSUMED' ? `Refused: already used on ${p.receipt?.consumedAt.slice(0, 10) ?? '?'} at ${p.receipt?.port ?? '?'}.` : `Refused: ${p.detail} (${p.code})`)
    }
    // The verdict above changes with the use: ask again.
    await verify(JSON.stringify({ party: v.party, number: v.number }), 'application/json')
  })()
})

$('print-btn').addEventListener('click', () => { window.print() })

void (async () => {
  const r = await fetch('/health').then(async (x) => await x.json() as { party?: string, peers?: number }).catch(() => undefined)
  if (r?.party !== undefined) text($('node-info'), `Node of ${r.party} — ${r.peers ?? 0} ${r.peers === 1 ? 'peer' : 'peers'} connected`)
})()
