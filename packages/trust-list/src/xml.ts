/** Trust list XML: writer and reader (namespace `urn:cites:trust-list:1`). */
import { childElements, escapeXml, parseXml, pathText, type XmlLimits } from '@cites/permit'
import { certificateThumbprint } from '@cites/xml-signature'
import { TrustListFormatError } from './errors.js'
import { AUTHORITY_ROLES, type Authority, type AuthorityRole, type EntryStatus, type ListedCertificate, type TrustList } from './model.js'

export const NS_TRUST_LIST = 'urn:cites:trust-list:1'
export const TRUST_LIST_ROOT = 'TrustList'

const el = (name: string, value: string, indent: string): string => `${indent}<tl:${name}>${escapeXml(value)}</tl:${name}>`

/** Write the list as unsigned XML (the signer appends the ds:Signature). */
export function writeTrustListXml (tl: TrustList): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<tl:${TRUST_LIST_ROOT} xmlns:tl="${NS_TRUST_LIST}">`]
  out.push(el('SequenceNumber', String(tl.sequence), '  '), el('IssueDate', tl.issueDate, '  '), el('NextUpdate', tl.nextUpdate, '  '), el('Operator', tl.operator, '  '))
  for (const a of tl.authorities) {
    out.push('  <tl:Authority>')
    out.push(el('Party', a.party, '    '), el('Name', a.name, '    '), el('Role', a.role, '    '), el('PeerId', a.peerId, '    '))
    for (const addr of a.addresses) out.push(el('Address', addr, '    '))
    out.push(el('Status', a.status, '    '), el('StatusTime', a.statusTime, '    '))
    for (const c of a.certificates) {
      out.push('    <tl:Certificate>')
      out.push(el('X509Certificate', c.certificate, '      '), el('Status', c.status, '      '), el('StatusTime', c.statusTime, '      '), el('GrantedAt', c.grantedAt, '      '))
      out.push('    </tl:Certificate>')
    }
    out.push('  </tl:Authority>')
  }
  out.push(`</tl:${TRUST_LIST_ROOT}>`)
  return out.join('\n') + '\n'
}

function req (parent: Element, name: string, where: string): string {
  const v = pathText(parent, name)
  if (v === undefined) throw new TrustListFormatError(`${where}: ${name} is missing`)
  return v
}

function status (v: string, where: string): EntryStatus {
  if (v !== 'granted' && v !== 'withdrawn') throw new TrustListFormatError(`${where}: status must be granted or withdrawn, not "${v}"`)
  return v
}

function time (v: string, where: string): string {
  if (Number.isNaN(Date.parse(v))) throw new TrustListFormatError(`${where}: "${v}" is not an ISO 8601 time`)
  return v
}

/** Read a trust list from its root element (signature not checked here). */
export function readTrustListElement (root: Element): TrustList {
  if (root.localName !== TRUST_LIST_ROOT || root.namespaceURI !== NS_TRUST_LIST) {
    throw new TrustListFormatError(`not a trust list: root is {${root.namespaceURI ?? ''}}${root.localName}`)
  }
  const seqText = req(root, 'SequenceNumber', 'list')
  if (!/^\d{1,15}$/.test(seqText)) throw new TrustListFormatError(`list: SequenceNumber "${seqText}" is not a whole number`)
  const authorities: Authority[] = childElements(root, 'Authority').map((a, i) => {
    const where = `authority ${i + 1}`
    const role = req(a, 'Role', where)
    if (!(AUTHORITY_ROLES as readonly string[]).includes(role)) throw new TrustListFormatError(`${where}: role "${role}" is not one of ${AUTHORITY_ROLES.join(', ')}`)
    const certificates: ListedCertificate[] = childElements(a, 'Certificate').map((c, j) => {
      const cw = `${where} certificate ${j + 1}`
      const b64 = req(c, 'X509Certificate', cw).replace(/\s+/g, '')
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new TrustListFormatError(`${cw}: X509Certificate is not base64`)
      return {
        certificate: b64,
        sha256: certificateThumbprint(new Uint8Array(Buffer.from(b64, 'base64'))),
        status: status(req(c, 'Status', cw), cw),
        statusTime: time(req(c, 'StatusTime', cw), cw),
        grantedAt: time(req(c, 'GrantedAt', cw), cw)
      }
    })
    return {
      party: req(a, 'Party', where),
      name: req(a, 'Name', where),
      role: role as AuthorityRole,
      peerId: req(a, 'PeerId', where),
      addresses: childElements(a, 'Address').map((x) => (x.textContent ?? '').trim()).filter((x) => x !== ''),
      status: status(req(a, 'Status', where), where),
      statusTime: time(req(a, 'StatusTime', where), where),
      certificates
    }
  })
  return {
    sequence: Number(seqText),
    issueDate: time(req(root, 'IssueDate', 'list'), 'list'),
    nextUpdate: time(req(root, 'NextUpdate', 'list'), 'list'),
    operator: pathText(root, 'Operator') ?? '',
    authorities
  }
}

/** Parse and read a trust list without checking its signature (for editing drafts). */
export function readTrustListXml (xml: string, limits?: XmlLimits): TrustList {
  let doc: Document
  try {
    doc = parseXml(xml, { maxBytes: 4 * 1024 * 1024, ...limits })
  } catch (err) {
    throw new TrustListFormatError(`trust list XML: ${(err as Error).message}`)
  }
  return readTrustListElement(doc.documentElement)
}
