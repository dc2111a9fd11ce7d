/**
 * Liveness and readiness (issue 15 §6). Liveness (`/livez`) is only "the
 * process serves HTTP". Readiness (`/readyz`) is "a customs officer can rely
 * on this node now": each check below is a small function of the node, and
 * the node is ready when none fails.
 *
 * Answers carry party codes, dates, counts and stable codes only: never a
 * trader, an officer, a token, or an error's own text (which may hold paths
 * or library detail).
 */
import { errorCode, within } from '@cites/runtime'
import type { PermitNode } from './node.js'

/**
 * `pass`; `warn`: fit for customs now but an operator must act soon;
 * `fail`: not fit; `unknown`: not checked (said so rather than faked).
 * Only `fail` makes the node not ready.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown'

/** Every code a readiness check answers with (stable: monitoring may alert on them). */
export const READINESS_CODES = [
  'PEERS_CONNECTED', 'PEERS_NONE_CONNECTED', 'PEERS_NONE_LISTED',
  'TRUST_LIST_CURRENT', 'TRUST_LIST_STALE', 'TRUST_LIST_MISSING',
  'CERTIFICATE_GRANTED', 'CERTIFICATE_EXPIRING', 'CERTIFICATE_EXPIRED', 'CERTIFICATE_NOT_YET_VALID', 'CERTIFICATE_WITHDRAWN', 'CERTIFICATE_NOT_LISTED',
  'LEDGER_WRITABLE', 'LEDGER_READ_ONLY', 'LEDGER_WRITE_FAILED',
  'CLOCK_WITHIN_BOUND', 'CLOCK_SKEW', 'CLOCK_SKEW_NOT_CHECKED',
  'REFDATA_LOADED'
] as const
export type ReadinessCode = typeof READINESS_CODES[number]

export interface ReadinessCheck {
  /** `peers`, `trust-list`, `certificate`, `ledger`, `clock`. */
  name: string
  /** False only when `status` is `fail`. */
  ok: boolean
  status: CheckStatus
  code: ReadinessCode
  /** A plain sentence for the operator. */
  message: string
}

export interface Readiness {
  /** No check failed. */
  ready: boolean
  party: string
  /** The node's clock when checked (ISO 8601). */
  time: string
  checks: ReadinessCheck[]
}

export interface ReadinessOptions {
  /** Under this much validity left, the certificate check warns. @default 14 days */
  certificateWarnMs?: number
  /** A ledger write probe that takes longer fails. @default 5000 */
  ledgerProbeTimeoutMs?: number
  /** The median of the peers' clock offsets beyond this fails the clock check. @default 60000 ({@link MAX_CLOCK_SKEW_MS}) */
  maxClockSkewMs?: number
}

/**
 * The clock check's default bound: 60 s. The rules that compare clocks
 * across nodes tolerate more: a consumption request is refused as stale at
 * 10 minutes from the issuer's clock (network.md §7), a given issue date at
 * 5 minutes from the signing node's (permit-profile.md), so the operator is
 * told well before customs' uses are refused. Claims dated in the future at
 * the issuer are refused outright (ledger.md §3.2), which argues for a small
 * bound; NTP keeps hosts within milliseconds, and the estimate's error (half
 * a sync round trip) is far below it.
 */
export const MAX_CLOCK_SKEW_MS = 60_000

const DAY = 86_400_000

function check (name: string, status: CheckStatus, code: ReadinessCode, message: string): ReadinessCheck {
  return { name, ok: status !== 'fail', status, code, message }
}

/** At least one authority listed (granted) on the trust list has its node connected to ours. */
export function peersCheck (node: PermitNode): ReadinessCheck {
  const listed = new Set((node.trust.current?.list.authorities ?? [])
    .filter((a) => a.status === 'granted' && a.peerId !== node.peerId.toString()).map((a) => a.party))
  if (listed.size === 0) return check('peers', 'fail', 'PEERS_NONE_LISTED', 'no other authority is listed on the trust list: this node cannot verify other parties\' permits')
  const connected = node.peerParties().filter((p) => listed.has(p))
  if (connected.length === 0) return check('peers', 'fail', 'PEERS_NONE_CONNECTED', `no peer connected: none of the ${listed.size} listed authorities' nodes is connected now`)
  return check('peers', 'pass', 'PEERS_CONNECTED', `${connected.length} of ${listed.size} listed authorities connected`)
}

/** The trust list is held and not past its `nextUpdate`: past it, grants and withdrawals may have changed unseen. */
export function trustListCheck (node: PermitNode, now: number): ReadinessCheck {
  const cur = node.trust.current
  if (cur === undefined) return check('trust-list', 'fail', 'TRUST_LIST_MISSING', 'this node holds no trust list')
  const { sequence, nextUpdate } = cur.list
  if (now > Date.parse(nextUpdate)) return check('trust-list', 'fail', 'TRUST_LIST_STALE', `trust list ${sequence} passed its next update (${nextUpdate}): install the task force's current list`)
  return check('trust-list', 'pass', 'TRUST_LIST_CURRENT', `trust list ${sequence}, next update ${nextUpdate}`)
}

/**
 * Our permit-signing certificate is listed for us and granted, and within its
 * validity. Fails when withdrawn, unlisted or out of validity (permits signed
 * now would be refused everywhere); warns when it expires within
 * `warnMs` (the node still works; the operator must enrol a new key).
 */
export function certificateCheck (node: PermitNode, now: number, warnMs = 14 * DAY): ReadinessCheck {
  const cert = node.certificate
  const entry = node.trust.byCertificate(cert.sha256)
  if (entry === undefined || entry.authority.party !== node.party) return check('certificate', 'fail', 'CERTIFICATE_NOT_LISTED', `this node's signing certificate (${cert.sha256.slice(0, 16)}) is not on the trust list for ${node.party}`)
  if (entry.certificate.status !== 'granted' || entry.authority.status !== 'granted') {
    return check('certificate', 'fail', 'CERTIFICATE_WITHDRAWN', `this node's signing certificate (${cert.sha256.slice(0, 16)}) was withdrawn from the trust list: permits it signs are refused`)
  }
  const notAfter = cert.notAfter.getTime()
  if (now < cert.notBefore.getTime()) return check('certificate', 'fail', 'CERTIFICATE_NOT_YET_VALID', `this node's signing certificate is valid only from ${cert.notBefore.toISOString()}`)
  if (now > notAfter) return check('certificate', 'fail', 'CERTIFICATE_EXPIRED', `this node's signing certificate expired on ${cert.notAfter.toISOString()}`)
  const days = Math.floor((notAfter - now) / DAY)
  if (notAfter - now < warnMs) return check('certificate', 'warn', 'CERTIFICATE_EXPIRING', `this node's signing certificate expires on ${cert.notAfter.toISOString()} (${days} days): enrol a new key`)
  return check('certificate', 'pass', 'CERTIFICATE_GRANTED', `granted; expires on ${cert.notAfter.toISOString()} (${days} days)`)
}

/** The ledger takes a write now (a small probe; without the signing key it is read-only). */
export async function ledgerCheck (node: PermitNode, timeoutMs = 5000): Promise<ReadinessCheck> {
  try {
    await within(timeoutMs, node.probeLedger())
    return check('ledger', 'pass', 'LEDGER_WRITABLE', 'the ledger took a write')
  } catch (err) {
    if (errorCode(err, '') === 'LEDGER_READ_ONLY') return check('ledger', 'fail', 'LEDGER_READ_ONLY', 'the ledger was opened without the signing key: nothing can be recorded')
    // The error's own text stays out of the answer (it may name paths); its code does not.
    return check('ledger', 'fail', 'LEDGER_WRITE_FAILED', `the ledger refused a write (${errorCode(err, 'UNKNOWN')})`)
  }
}

/** "12.3 s ahead of" / "behind": our clock against the peers' (`offset` is theirs minus ours). */
const relation = (offsetMs: number): string => `${(Math.abs(offsetMs) / 1000).toFixed(1)} s ${offsetMs > 0 ? 'behind' : 'ahead of'}`

/**
 * Clock skew against peers: the median of the connected listed peers'
 * offsets, each measured on the heads exchange of every anti-entropy round
 * (network.md §4.2). A median, because a listed authority can lie about its
 * time: more than half of the peers must agree for the check to fail, so one
 * liar among three peers cannot make the node unready, nor hide its skew.
 * With no peer measured it is `unknown`, not failing: the peers check
 * already fails when none is connected.
 */
export function clockCheck (node: PermitNode, maxSkewMs = MAX_CLOCK_SKEW_MS): ReadinessCheck {
  const est = node.clockOffsets()
  if (est.medianOffsetMs === undefined) return check('clock', 'unknown', 'CLOCK_SKEW_NOT_CHECKED', 'no peer\'s clock measured yet (measured on each anti-entropy round); keep the host clock synchronised (NTP)')
  const off = est.medianOffsetMs
  const err = `± ${((est.errorMs ?? 0) / 1000).toFixed(1)} s`
  const peers = `${est.peers} peer${est.peers === 1 ? '' : 's'}`
  if (Math.abs(off) > maxSkewMs) return check('clock', 'fail', 'CLOCK_SKEW', `this node's clock is ${relation(off)} the median of ${peers} (${err}), beyond the ${maxSkewMs / 1000} s bound: synchronise the host clock (NTP)`)
  return check('clock', 'pass', 'CLOCK_WITHIN_BOUND', `this node's clock is ${relation(off)} the median of ${peers} (${err}), within ${maxSkewMs / 1000} s`)
}

/** The CITES reference data the node checks permits against, and its snapshot's date (it is loaded at start, or the node does not start). */
export function refdataCheck (node: PermitNode): ReadinessCheck {
  const rd = node.refdata.data
  return check('refdata', 'pass', 'REFDATA_LOADED', `CITES reference data of ${rd.snapshotDate} (listings of ${rd.snapshot.parts.listings.date}); trade suspensions ${node.refdata.suspensions === 'refuse' ? 'refuse' : 'warn'} at issuance`)
}

/** Every check, in a fixed order; ready when none fails. */
export async function readiness (node: PermitNode, o: ReadinessOptions = {}): Promise<Readiness> {
  const now = node.now()
  const checks = [
    peersCheck(node),
    trustListCheck(node, now),
    certificateCheck(node, now, o.certificateWarnMs),
    await ledgerCheck(node, o.ledgerProbeTimeoutMs),
    clockCheck(node, o.maxClockSkewMs),
    refdataCheck(node)
  ]
  return { ready: checks.every((c) => c.ok), party: node.party, time: new Date(now).toISOString(), checks }
}
