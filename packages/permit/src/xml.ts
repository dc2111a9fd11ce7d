/**
 * Safe XML parsing, shared by the permit reader, the signature verifier and
 * the trust list. It lives in this lowest package because the importer must
 * parse untrusted XML too, and packages depend one way only.
 *
 * The rules are the parsing rules of the hardened profile (ARCHITECTURE.md,
 * "The hardened XML-DSig profile", rule 1).
 */
import { DOMParser } from '@xmldom/xmldom'
import { XmlDoctypeError, XmlMalformedError, XmlTooDeepError, XmlTooLargeError } from './errors.js'

/** Limits for {@link parseXml}. */
export interface XmlLimits {
  /** @default 262144 (256 KiB) */
  maxBytes?: number
  /** @default 64 */
  maxDepth?: number
}

export const DEFAULT_MAX_XML_BYTES = 256 * 1024
export const DEFAULT_MAX_XML_DEPTH = 64

/**
 * Nesting depth of `xml`, found by a linear scan that understands comments,
 * CDATA, processing instructions and quoted attribute values. Run before the
 * DOM parser so that 10,000 levels never reach a recursive walker.
 * Stops early once `limit` is exceeded.
 */
export function scanDepth (xml: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0
  let max = 0
  let i = 0
  const n = xml.length
  while (i < n) {
    const lt = xml.indexOf('<', i)
    if (lt < 0) break
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4)
      i = end < 0 ? n : end + 3
      continue
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9)
      i = end < 0 ? n : end + 3
      continue
    }
    if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt + 2)
      i = end < 0 ? n : end + 2
      continue
    }
    const closing = xml.charCodeAt(lt + 1) === 47 /* / */
    // find the tag's end outside quotes
    let j = lt + 1
    let quote = 0
    while (j < n) {
      const c = xml.charCodeAt(j)
      if (quote !== 0) {
        if (c === quote) quote = 0
      } else if (c === 34 || c === 39) {
        quote = c
      } else if (c === 62 /* > */) {
        break
      }
      j++
    }
    const selfClosing = xml.charCodeAt(j - 1) === 47
    if (closing) {
      depth--
    } else if (!selfClosing && xml.charCodeAt(lt + 1) !== 33 /* ! */) {
      depth++
      if (depth > max) {
        max = depth
        if (max > limit) return max
      }
    }
    i = j + 1
  }
  return max
}

// DOCTYPE and ENTITY declarations are refused outright: no DTD is ever
// needed in eCITES, and refusing before the parser runs stops XXE and entity
// expansion (billion laughs) whatever the parser would do with them.
const DTD_RE = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i

/**
 * Parse untrusted XML under the profile's limits. Any parser warning or error
 * rejects the document; so do a DOCTYPE, more than one root, excess size or
 * depth. Returns the DOM that callers must keep using (parse once).
 */
export function parseXml (xml: string, limits: XmlLimits = {}): Document {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_XML_BYTES
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_XML_DEPTH
  if (typeof xml !== 'string') throw new XmlMalformedError('XML input must be a string')
  // A UTF-16 code unit is at least one UTF-8 byte: cheap pre-check first.
  if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) {
    throw new XmlTooLargeError(`XML is larger than ${maxBytes} bytes`)
  }
  if (DTD_RE.test(xml)) throw new XmlDoctypeError('XML with a DOCTYPE or entity declaration is refused')
  const depth = scanDepth(xml, maxDepth)
  if (depth > maxDepth) throw new XmlTooDeepError(`XML nests deeper than ${maxDepth} levels`)

  let doc: Document
  try {
    const parser = new DOMParser({
      onError: (level: string, message: string) => {
        throw new XmlMalformedError(`XML ${level}: ${message}`)
      }
    })
    doc = parser.parseFromString(xml, 'text/xml') as unknown as Document
  } catch (err) {
    if (err instanceof XmlMalformedError) throw err
    // xmldom wraps what onError throws in a ParseError; keep our message.
    const cause = (err as { cause?: unknown }).cause
    if (cause instanceof XmlMalformedError) throw cause
    throw new XmlMalformedError(`XML could not be parsed: ${(err as Error).message ?? String(err)}`)
  }
  let roots = 0
  for (let c = doc.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === 1) roots++
    if (c.nodeType === 10) throw new XmlDoctypeError('XML with a DOCTYPE is refused')
  }
  if (roots !== 1 || doc.documentElement === null) throw new XmlMalformedError(`XML must have exactly one root element, found ${roots}`)
  return doc
}

/** Element children of `el`, optionally only those with this local name (any namespace). */
export function childElements (el: Element, localName?: string): Element[] {
  const out: Element[] = []
  for (let c = el.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === 1 && (localName === undefined || (c as Element).localName === localName)) out.push(c as Element)
  }
  return out
}

/** First element child with this local name, or undefined. */
export function childElement (el: Element | undefined, localName: string): Element | undefined {
  if (el === undefined) return undefined
  for (let c = el.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).localName === localName) return c as Element
  }
  return undefined
}

/** Follow a path of local names from `el`, first match at each step. */
export function pathElement (el: Element | undefined, ...path: string[]): Element | undefined {
  let cur = el
  for (const p of path) {
    cur = childElement(cur, p)
    if (cur === undefined) return undefined
  }
  return cur
}

/**
 * Text content of an element, trimmed; undefined when absent or empty
 * (the EPIX samples carry many empty placeholders).
 */
export function elementText (el: Element | undefined): string | undefined {
  if (el === undefined) return undefined
  const t = (el.textContent ?? '').trim()
  return t === '' ? undefined : t
}

/** Text at a path of local names, trimmed; undefined when absent or empty. */
export function pathText (el: Element | undefined, ...path: string[]): string | undefined {
  return elementText(pathElement(el, ...path))
}

/** Escape text for an XML text node or a double-quoted attribute. */
export function escapeXml (s: string): string {
  return s.replace(/[&<>"\r]/g, (c) => c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#13;')
}
