/** Plain-text rendering for people; `--json` prints the structures instead. */
import { DOCUMENT_TYPES, type Permit, type Verdict } from '@cites/permit'
import type { TrustList } from '@cites/trust-list'

const pad = (s: string, n: number): string => s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length)

export function formatVerdict (v: Verdict & { permit?: Permit, party?: string }): string {
  const head = v.permit === undefined
    ? 'permit could not be read'
    : `permit ${v.party ?? '??'}/${v.permit.number} (${DOCUMENT_TYPES[v.permit.type as keyof typeof DOCUMENT_TYPES] ?? v.permit.type})`
  const lines = [`${v.valid ? 'VALID' : 'INVALID'}: ${head}`]
  for (const c of v.checks) {
    lines.push(`  ${pad(c.name, 13)}${pad(c.status, 8)}${pad(c.reason.code, 28)}${c.reason.message}`)
    for (const d of c.details ?? []) lines.push(`    - ${d.code}${d.box !== undefined ? ` [box ${d.box}${d.line !== undefined ? `, line ${d.line}` : ''}]` : ''}: ${d.message}`)
  }
  return lines.join('\n') + '\n'
}

export function formatProblems (problems: ReadonlyArray<{ code: string, message: string, box?: string, line?: string, severity?: string }>): string {
  return problems.map((p) => `  ${p.severity === 'warning' ? 'warning' : 'error'} ${p.code}${p.box !== undefined ? ` [box ${p.box}${p.line !== undefined ? `, line ${p.line}` : ''}]` : ''}: ${p.message}`).join('\n') + '\n'
}

export function formatPermit (p: Permit): string {
  const party = (t: Permit['issuer']) => `${t.name ?? '(no name)'}${t.address?.country !== undefined ? ` (${t.address.country})` : ''}`
  const lines = [
    `Permit ${p.number}  ${DOCUMENT_TYPES[p.type as keyof typeof DOCUMENT_TYPES] ?? p.type}`,
    `  issued by   ${party(p.issuer)}${p.issueDate !== undefined ? ` on ${p.issueDate}` : ''}`,
    `  valid       ${p.validFrom ?? '?'} .. ${p.validUntil ?? '?'}`,
    `  purpose     ${p.purpose ?? '?'}${p.securityStamp !== undefined ? `   security stamp ${p.securityStamp}` : ''}`,
    `  exporter    ${party(p.consignor)}`,
    `  importer    ${party(p.consignee)}`
  ]
  if (p.replacement !== undefined) lines.push(`  replaces    ${p.replacement.replaces}${p.replacement.reason !== undefined ? ` (${p.replacement.reason})` : ''}`)
  for (const r of p.references ?? []) lines.push(`  references  ${r.typeCode ?? '?'} ${r.id ?? ''}`)
  for (const l of p.lines) {
    lines.push(`  line ${l.id}: ${l.scientificName}${l.commonName !== undefined ? ` (${l.commonName})` : ''}  App. ${l.appendix ?? '?'}  source ${l.source ?? '?'}  ${l.quantity ?? '?'} ${l.unit ?? 'specimens'} ${l.term ?? ''}`.trimEnd())
  }
  return lines.join('\n') + '\n'
}

export function formatTrustList (tl: TrustList): string {
  const lines = [`Trust list #${tl.sequence}  issued ${tl.issueDate}  next update ${tl.nextUpdate}  operator ${tl.operator}`]
  for (const a of tl.authorities) {
    lines.push(`  ${a.party}  ${pad(a.role, 22)}${a.status === 'withdrawn' ? `WITHDRAWN ${a.statusTime}  ` : ''}${a.name}`)
    lines.push(`      peer ${a.peerId}${a.addresses.length > 0 ? `  ${a.addresses.join(' ')}` : ''}`)
    for (const c of a.certificates) lines.push(`      cert ${c.sha256.slice(0, 16)}  ${c.status} ${c.statusTime}`)
  }
  return lines.join('\n') + '\n'
}
