/**
 * eCITES Toolkit v2 writer. Its output reads back, through {@link readPermitXml},
 * to the same model (a property test pins this). Element order follows the
 * Toolkit v2 schema as the EPIX samples show it.
 */
import { escapeXml } from './xml.js'
import { NS_CITES_V2, NS_RAM } from './read.js'
import { CERTIFICATE_TYPES, DOC_CODE_LAST_REEXPORT, DOC_CODE_ORIGIN_PERMIT } from './codes.js'
import type { Address, DocumentRef, LangText, Permit, PermitLine, TradeParty } from './model.js'

type Node = { n: string, a?: Record<string, string>, t?: string, c?: Node[] }

/** An element; `undefined` children are dropped, so optional fields read simply. */
function e (name: string, content?: string | Array<Node | undefined>, attrs?: Record<string, string>): Node {
  const node: Node = { n: name }
  if (attrs !== undefined) node.a = attrs
  if (typeof content === 'string') node.t = content
  else if (content !== undefined) node.c = content.filter((x): x is Node => x !== undefined)
  return node
}

/** A leaf only when it has a value. */
function opt (name: string, value: string | number | undefined, attrs?: Record<string, string>): Node | undefined {
  if (value === undefined || value === '') return undefined
  return e(name, String(value), attrs)
}

/** A container only when it has at least one child. */
function group (name: string, children: Array<Node | undefined>): Node | undefined {
  const c = children.filter((x): x is Node => x !== undefined)
  return c.length > 0 ? e(name, c) : undefined
}

function serialize (node: Node, indent: string, out: string[]): void {
  const attrs = node.a === undefined ? '' : Object.entries(node.a).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('')
  if (node.c !== undefined && node.c.length > 0) {
    out.push(`${indent}<${node.n}${attrs}>`)
    for (const c of node.c) serialize(c, indent + '  ', out)
    out.push(`${indent}</${node.n}>`)
  } else if (node.t !== undefined && node.t !== '') {
    out.push(`${indent}<${node.n}${attrs}>${escapeXml(node.t)}</${node.n}>`)
  } else {
    out.push(`${indent}<${node.n}${attrs}/>`)
  }
}

const R = (n: string): string => `ram:${n}`

function address (a: Address | undefined): Node | undefined {
  if (a === undefined) return undefined
  return group(R('PostalTradeAddress'), [
    opt(R('PostcodeCode'), a.postcode),
    opt(R('StreetName'), a.street),
    opt(R('CityName'), a.city),
    opt(R('CountryID'), a.country),
    opt(R('CountryName'), a.countryName)
  ])
}

function party (name: string, p: TradeParty): Node | undefined {
  return group(R(name), [opt(R('Name'), p.name), address(p.address)])
}

function ref (name: string, r: DocumentRef | undefined, typeCode: string | undefined): Node | undefined {
  if (r === undefined) return undefined
  return group(R(name), [opt(R('IssueDateTime'), r.issueDate), opt(R('TypeCode'), typeCode), opt(R('ID'), r.id)])
}

function unitAttr (u: string | undefined): Record<string, string> | undefined {
  return u === undefined ? undefined : { unitCode: u }
}

/** Further texts of a repeated element, each with its language. */
function more (name: string, texts: LangText[] | undefined): Array<Node | undefined> {
  return (texts ?? []).map((t) => opt(name, t.text, t.language === undefined ? undefined : { languageID: t.language }))
}

/** A `languageID` attribute when a language is given. */
function lang (language: string | undefined): Record<string, string> | undefined {
  return language === undefined || language === '' ? undefined : { languageID: language }
}

function line (l: PermitLine): Node {
  const ln = l.languages ?? {}
  // The first of a repeated element in its box, then the rest (never dropped: issue 20).
  return e(R('IncludedSupplyChainConsignmentItem'), [
    opt(R('ID'), l.id),
    group(R('PhysicalLogisticsShippingMarks'), [opt(R('Marking'), l.marks, lang(ln.marks)), ...more(R('Marking'), l.moreMarks)]),
    group(R('OriginTradeCountry'), [opt(R('ID'), l.originCountry)]),
    group(R('ExportTradeCountry'), [opt(R('ID'), l.exportCountry)]),
    ref('AssociatedReferencedDocument', l.originPermit, DOC_CODE_ORIGIN_PERMIT),
    ...(l.moreOriginPermits ?? []).map((r) => ref('AssociatedReferencedDocument', r, DOC_CODE_ORIGIN_PERMIT)),
    ref('AssociatedReferencedDocument', l.lastReexport, DOC_CODE_LAST_REEXPORT),
    ...(l.moreLastReexports ?? []).map((r) => ref('AssociatedReferencedDocument', r, DOC_CODE_LAST_REEXPORT)),
    group(R('TransportLogisticsPackage'), [opt(R('ItemQuantity'), l.quantity, unitAttr(l.unit))]),
    group(R('IncludedSupplyChainTradeLineItem'), [
      opt(R('TypeCode'), l.appendix),
      opt(R('TypeExtensionCode'), l.source),
      group(R('SpecifiedTradeProduct'), [
        opt(R('Description'), l.description, lang(ln.description)),
        ...more(R('Description'), l.moreDescriptions),
        opt(R('TypeCode'), l.term),
        opt(R('CommonName'), l.commonName, lang(ln.commonName)),
        ...more(R('CommonName'), l.moreCommonNames),
        opt(R('ScientificName'), l.scientificName)
      ])
    ]),
    group(R('ExaminationTransportEvent'), [opt(R('UnitQuantity'), l.exportedQuantity, unitAttr(l.exportedUnit))]),
    group(R('ApplicableCrossBorderRegulatoryProcedure'), [
      opt(R('UsedToDateQuotaQuantity'), l.quotaUsed),
      opt(R('AnnualQuotaQuantity'), l.quotaAnnual),
      opt(R('AcquisitionDateTime'), l.acquisitionDate)
    ])
  ])
}

/** Box 5 text that marks a replacement; the reader turns it back into `replacement`. */
function replacementText (p: Permit): string | undefined {
  const r = p.replacement
  if (r === undefined) return undefined
  return `Replaces: ${r.replaces}` + (r.reason === undefined ? '' : `\nReason: ${r.reason}`) + (r.details === undefined ? '' : `\nDetails: ${r.details}`)
}

/** Write a permit as unsigned eCITES Toolkit v2 XML. */
export function writePermitXml (p: Permit): string {
  const s = p.signatory
  const root = e('rsm:CITESEPermit', [
    e('rsm:SpecifiedExchangedDocumentContext', [
      e(R('BusinessProcessSpecifiedDocumentContextParameter'), [e(R('Value'), 'CITES Permitting')])
    ]),
    e('rsm:HeaderExchangedDocument', [
      opt(R('ID'), p.number),
      // Box 1 "other": the kind of certificate, by its English name (permit-profile.md §2.3).
      p.type === 'O' && p.certificateType !== undefined && Object.hasOwn(CERTIFICATE_TYPES, p.certificateType)
        ? e(R('Name'), CERTIFICATE_TYPES[p.certificateType as keyof typeof CERTIFICATE_TYPES].label, { languageID: 'EN' })
        : undefined,
      opt(R('TypeCode'), p.type),
      opt(R('IssueDateTime'), p.issueDate),
      p.copy === undefined ? undefined : e(R('CopyIndicator'), String(p.copy)),
      opt(R('PurposeCode'), p.purpose),
      opt(R('Information'), replacementText(p)),
      ...(p.conditions ?? []).map((c, i) => opt(R('Information'), c, lang(p.conditionLanguages?.[i]))),
      ...(p.references ?? []).map((r) => ref('ReferenceReferencedDocument', r, r.typeCode)),
      group(R('EffectiveSpecifiedPeriod'), [opt(R('StartDateTime'), p.validFrom), opt(R('EndDateTime'), p.validUntil)]),
      group(R('FirstSignatoryDocumentAuthentication'), [
        opt(R('ID'), p.securityStamp),
        party('ProviderTradeParty', p.issuer)
      ]),
      s === undefined
        ? undefined
        : group(R('ThirdSignatoryDocumentAuthentication'), [
          opt(R('ActualDateTime'), s.date),
          group(R('ProviderTradeParty'), [group(R('SpecifiedAuthoritativeSignatoryPerson'), [opt(R('Name'), s.name)])]),
          group(R('IssueLogisticsLocation'), [opt(R('Name'), s.place)])
        ])
    ]),
    e('rsm:SpecifiedSupplyChainConsignment', [
      party('ConsignorTradeParty', p.consignor),
      party('ConsigneeTradeParty', p.consignee),
      group(R('TransportContractReferencedDocument'), [opt(R('ID'), p.transportDocument)]),
      p.endorsement === undefined
        ? undefined
        : group(R('ExaminationTransportEvent'), [
          opt(R('ActualOccurrenceDateTime'), p.endorsement.date),
          group(R('OccurrenceLogisticsLocation'), [opt(R('ID'), p.endorsement.port)]),
          group(R('CertifyingTradeParty'), [opt(R('Name'), p.endorsement.officer)])
        ]),
      ...p.lines.map(line)
    ])
  ], { 'xmlns:rsm': NS_CITES_V2, 'xmlns:ram': NS_RAM })
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>']
  serialize(root, '', out)
  return out.join('\n') + '\n'
}
