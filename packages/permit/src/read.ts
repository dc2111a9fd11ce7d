/**
 * eCITES reader: Toolkit v2 (`CITESEPermit`) and v1 (`CBFShip`), bare,
 * unqualified or inside a SOAP envelope (as EPIX sends them). Elements are
 * matched by local name, so prefixes and the EPIX samples' unqualified root
 * do not matter. Empty placeholder elements read as absent.
 */
import { childElement, childElements, elementText, parseXml, pathElement, pathText, type XmlLimits } from './xml.js'
import { PermitNotFoundError, PermitValueError } from './errors.js'
import { DOC_CODE_LAST_REEXPORT, DOC_CODE_ORIGIN_PERMIT, certificateTypeFromName } from './codes.js'
import type { Address, DocumentRef, ExportEndorsement, LangText, LineLanguages, Permit, PermitLine, TradeParty } from './model.js'

/** Namespace of the v2 root (FACTS.md). */
export const NS_CITES_V2 = 'urn:un:unece:uncefact:data:standard:CITESEPermit:2'
/** Namespace of the v1 root. */
export const NS_CITES_V1 = 'urn:un:unece:uncefact:data:draft:CBFShip:1'
/** Namespace of the reusable aggregates (both versions). */
export const NS_RAM = 'urn:un:unece:uncefact:data:draft:ReusableAggregateBusinessInformationEntity:1'

/** A read permit, with the element it was read from (parse once, keep the DOM). */
export interface ReadPermit {
  permit: Permit
  /** eCITES Toolkit version of the source. */
  version: 1 | 2
  /** The `CITESEPermit` / `CBFShip` element. */
  element: Element
}

const ROOT_NAMES: Record<string, 1 | 2> = { CITESEPermit: 2, CBFShip: 1 }

/** Find the permit element: the root itself, or inside a SOAP envelope. */
export function findPermitElement (doc: Document): { element: Element, version: 1 | 2 } {
  const root = doc.documentElement
  if (root === null) throw new PermitNotFoundError('document has no root element')
  const direct = ROOT_NAMES[root.localName]
  if (direct !== undefined) return { element: root, version: direct }
  // Breadth-first, bounded: Envelope > Body > Response > CITESEPermit.
  let level: Element[] = [root]
  for (let depth = 0; depth < 4 && level.length > 0; depth++) {
    const next: Element[] = []
    for (const el of level) {
      for (const c of childElements(el)) {
        const v = ROOT_NAMES[c.localName]
        if (v !== undefined) return { element: c, version: v }
        next.push(c)
      }
    }
    level = next
  }
  throw new PermitNotFoundError(`no CITESEPermit or CBFShip element found (root is ${root.localName})`)
}

/** Parse and read an eCITES document. Throws a coded error on bad input. */
export function readPermitXml (xml: string, limits?: XmlLimits): ReadPermit {
  return readPermitDocument(parseXml(xml, limits))
}

/** Read from an already parsed (and already checked) DOM. */
export function readPermitDocument (doc: Document): ReadPermit {
  const { element, version } = findPermitElement(doc)
  return { permit: readPermitElement(element, version), version, element }
}

function num (el: Element | undefined, where: string): number | undefined {
  const t = elementText(el)
  if (t === undefined) return undefined
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    throw new PermitValueError(`${where}: "${t.slice(0, 40)}" is not a number`)
  }
  return Number(t)
}

function unitOf (el: Element | undefined): string | undefined {
  const u = el?.getAttribute('unitCode')?.trim()
  // "?" is the SOAP-UI placeholder the EPIX samples carry.
  return u === undefined || u === '' || u === '?' ? undefined : u
}

function set<T extends object, K extends keyof T> (o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v
}

function address (el: Element | undefined): Address | undefined {
  if (el === undefined) return undefined
  const a: Address = {}
  set(a, 'street', pathText(el, 'StreetName'))
  set(a, 'city', pathText(el, 'CityName'))
  set(a, 'postcode', pathText(el, 'PostcodeCode'))
  // v2: CountryID / CountryName; v1: CountryIdentificationTradeCountry/ID, /Name
  set(a, 'country', pathText(el, 'CountryID') ?? pathText(el, 'CountryIdentificationTradeCountry', 'ID'))
  set(a, 'countryName', pathText(el, 'CountryName') ?? pathText(el, 'CountryIdentificationTradeCountry', 'Name'))
  return Object.keys(a).length > 0 ? a : undefined
}

function party (el: Element | undefined): TradeParty {
  const p: TradeParty = {}
  if (el === undefined) return p
  set(p, 'name', pathText(el, 'Name'))
  set(p, 'address', address(childElement(el, 'PostalTradeAddress')))
  return p
}

function docRef (el: Element): DocumentRef | undefined {
  const r: DocumentRef = {}
  set(r, 'id', pathText(el, 'ID'))
  set(r, 'typeCode', pathText(el, 'TypeCode'))
  set(r, 'issueDate', pathText(el, 'IssueDateTime'))
  // A reference with neither a number nor a date is a placeholder.
  return r.id !== undefined || r.issueDate !== undefined ? r : undefined
}

/** The non-empty `name` children of `el` after the first (which pathText reads), with their language. */
function furtherTexts (el: Element | undefined, name: string): LangText[] | undefined {
  if (el === undefined) return undefined
  const out: LangText[] = []
  for (const c of childElements(el, name).slice(1)) {
    const text = elementText(c)
    if (text === undefined) continue
    const language = c.getAttribute('languageID')?.trim()
    out.push(language === undefined || language === '' ? { text } : { text, language })
  }
  return out.length > 0 ? out : undefined
}

/** The `languageID` of an element, or undefined when it has none (or a blank one). */
function languageOf (el: Element | undefined): string | undefined {
  const l = el?.getAttribute('languageID')?.trim()
  return l === undefined || l === '' ? undefined : l
}

/** Marker that the writer puts in Box 5 for a replacement, and the reader takes out again. */
const REPLACES_RE = /^Replaces:[ \t]*(\S*)[ \t]*(?:\r?\n[ \t]*Reason:[ \t]*([\s\S]*?))?(?:\r?\n[ \t]*Details:[ \t]*([\s\S]*))?$/

function line (item: Element, index: number): PermitLine {
  const where = `line ${index + 1}`
  const trade = childElement(item, 'IncludedSupplyChainTradeLineItem')
  const product = childElement(trade, 'SpecifiedTradeProduct')
  const l: PermitLine = { id: pathText(item, 'ID') ?? '', scientificName: pathText(product, 'ScientificName') ?? '' }
  set(l, 'commonName', pathText(product, 'CommonName'))
  set(l, 'description', pathText(product, 'Description'))
  set(l, 'term', pathText(product, 'TypeCode'))
  set(l, 'appendix', pathText(trade, 'TypeCode'))
  set(l, 'source', pathText(trade, 'TypeExtensionCode'))
  const qty = pathElement(item, 'TransportLogisticsPackage', 'ItemQuantity')
  set(l, 'quantity', num(qty, `${where} quantity`))
  set(l, 'unit', unitOf(qty))
  const proc = childElement(item, 'ApplicableCrossBorderRegulatoryProcedure') ?? childElement(item, 'ApplicableCrossBorderGovernmentProcedure')
  set(l, 'quotaUsed', num(childElement(proc, 'UsedToDateQuotaQuantity'), `${where} quota used`))
  set(l, 'quotaAnnual', num(childElement(proc, 'AnnualQuotaQuantity'), `${where} annual quota`))
  set(l, 'originCountry', pathText(item, 'OriginTradeCountry', 'ID'))
  set(l, 'exportCountry', pathText(item, 'ExportTradeCountry', 'ID'))
  const more = { origin: [] as DocumentRef[], reexport: [] as DocumentRef[] }
  for (const d of childElements(item, 'AssociatedReferencedDocument')) {
    const code = pathText(d, 'TypeCode')
    const ref = docRef(d)
    if (ref === undefined) continue
    delete ref.typeCode
    // Every one kept: the first in its box, the rest after it (issue 20).
    if (code === DOC_CODE_ORIGIN_PERMIT) {
      if (l.originPermit === undefined) l.originPermit = ref
      else more.origin.push(ref)
    } else if (code === DOC_CODE_LAST_REEXPORT) {
      if (l.lastReexport === undefined) l.lastReexport = ref
      else more.reexport.push(ref)
    }
  }
  if (more.origin.length > 0) l.moreOriginPermits = more.origin
  if (more.reexport.length > 0) l.moreLastReexports = more.reexport
  const exam = childElement(item, 'ExaminationTransportEvent')
  const exported = childElement(exam, 'UnitQuantity') ?? childElement(exam, 'InspectedUnitQuantity')
  set(l, 'exportedQuantity', num(exported, `${where} exported quantity`))
  if (l.exportedQuantity !== undefined) set(l, 'exportedUnit', unitOf(exported))
  set(l, 'marks', pathText(item, 'PhysicalLogisticsShippingMarks', 'Marking'))
  set(l, 'moreCommonNames', furtherTexts(product, 'CommonName'))
  set(l, 'moreDescriptions', furtherTexts(product, 'Description'))
  set(l, 'moreMarks', furtherTexts(childElement(item, 'PhysicalLogisticsShippingMarks'), 'Marking'))
  // The first text's language too (issue 14): all three languages round-trip.
  const langs: LineLanguages = {}
  if (l.commonName !== undefined) set(langs, 'commonName', languageOf(childElement(product, 'CommonName')))
  if (l.description !== undefined) set(langs, 'description', languageOf(childElement(product, 'Description')))
  if (l.marks !== undefined) set(langs, 'marks', languageOf(pathElement(item, 'PhysicalLogisticsShippingMarks', 'Marking')))
  if (Object.keys(langs).length > 0) l.languages = langs
  // Box 12b (EPIX v2 carries the element on every line; empty reads as absent).
  set(l, 'acquisitionDate', pathText(proc, 'AcquisitionDateTime'))
  return l
}

/** Read the model from a `CITESEPermit` (v2) or `CBFShip` (v1) element. */
export function readPermitElement (root: Element, _version: 1 | 2 = 2): Permit {
  const head = childElement(root, 'HeaderExchangedDocument')
  const cons = childElement(root, 'SpecifiedSupplyChainConsignment')
  const first = childElement(head, 'FirstSignatoryDocumentAuthentication')
  const third = childElement(head, 'ThirdSignatoryDocumentAuthentication')

  const p: Permit = {
    number: pathText(head, 'ID') ?? '',
    type: pathText(head, 'TypeCode') ?? '',
    issuer: party(childElement(first, 'ProviderTradeParty')),
    consignee: party(childElement(cons, 'ConsigneeTradeParty')),
    consignor: party(childElement(cons, 'ConsignorTradeParty')),
    lines: []
  }
  // Box 1 "other": the certificate's kind is its document name (permit-profile.md §2.3).
  if (p.type === 'O') set(p, 'certificateType', certificateTypeFromName(pathText(head, 'Name')))
  set(p, 'validFrom', pathText(head, 'EffectiveSpecifiedPeriod', 'StartDateTime'))
  set(p, 'validUntil', pathText(head, 'EffectiveSpecifiedPeriod', 'EndDateTime'))
  set(p, 'issueDate', pathText(head, 'IssueDateTime'))
  const copy = pathText(head, 'CopyIndicator')
  if (copy !== undefined) p.copy = copy === 'true' || copy === '1'
  set(p, 'purpose', pathText(head, 'PurposeCode'))

  const conditions: string[] = []
  const languages: string[] = []
  for (const info of head === undefined ? [] : childElements(head, 'Information')) {
    const t = elementText(info)
    if (t === undefined) continue
    const m = REPLACES_RE.exec(t)
    if (m !== null && p.replacement === undefined) {
      p.replacement = { replaces: m[1] ?? '' }
      const reason = m[2]?.trim()
      if (reason !== undefined && reason !== '') p.replacement.reason = reason
      const details = m[3]?.trim()
      if (details !== undefined && details !== '') p.replacement.details = details
    } else {
      conditions.push(t)
      languages.push(languageOf(info) ?? '')
    }
  }
  if (conditions.length > 0) p.conditions = conditions
  if (languages.some((l) => l !== '')) p.conditionLanguages = languages
  set(p, 'securityStamp', pathText(first, 'ID'))

  if (third !== undefined) {
    const s: NonNullable<Permit['signatory']> = {}
    set(s, 'name', pathText(third, 'ProviderTradeParty', 'SpecifiedAuthoritativeSignatoryPerson', 'Name'))
    set(s, 'place', pathText(third, 'IssueLogisticsLocation', 'Name'))
    set(s, 'date', pathText(third, 'ActualDateTime'))
    if (Object.keys(s).length > 0) p.signatory = s
  }

  const refs: DocumentRef[] = []
  for (const r of head === undefined ? [] : childElements(head, 'ReferenceReferencedDocument')) {
    const ref = docRef(r)
    if (ref?.id !== undefined) refs.push(ref)
  }
  if (refs.length > 0) p.references = refs

  set(p, 'transportDocument', pathText(cons, 'TransportContractReferencedDocument', 'ID'))
  const exam = childElement(cons, 'ExaminationTransportEvent')
  if (exam !== undefined) {
    const e: ExportEndorsement = {}
    set(e, 'date', pathText(exam, 'ActualOccurrenceDateTime'))
    set(e, 'port', pathText(exam, 'OccurrenceLogisticsLocation', 'ID') ?? pathText(exam, 'OccurrenceLogisticsLocation', 'Name'))
    set(e, 'officer', pathText(exam, 'CertifyingTradeParty', 'Name'))
    if (Object.keys(e).length > 0) p.endorsement = e
  }
  const items = cons === undefined ? [] : childElements(cons, 'IncludedSupplyChainConsignmentItem')
  p.lines = items.map(line)
  return p
}
