import { describe, expect, it } from 'vitest'
import { parseXml, scanDepth, XmlDoctypeError, XmlMalformedError, XmlTooDeepError, XmlTooLargeError, readPermitXml, PermitValueError } from '../src/index.js'

describe('safe XML parsing', () => {
  it('refuses a DOCTYPE before parsing (XXE)', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    expect(() => parseXml(xxe)).toThrow(XmlDoctypeError)
  })

  it('refuses documents over the size limit', () => {
    expect(() => parseXml(`<r>${'a'.repeat(300 * 1024)}</r>`)).toThrow(XmlTooLargeError)
    expect(() => parseXml('<r>é</r>', { maxBytes: 8 })).toThrow(XmlTooLargeError) // 8 UTF-16 units, 9 UTF-8 bytes
  })

  it('refuses nesting deeper than 64 levels, counting without recursion', () => {
    const deep = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n)
    expect(scanDepth(deep(64))).toBe(64)
    expect(() => parseXml(deep(64))).not.toThrow()
    expect(() => parseXml(deep(65))).toThrow(XmlTooDeepError)
    // quoted ">" and self-closing tags do not confuse the scan
    expect(scanDepth('<a x=">"><b/><c y=\'>\'></c></a>')).toBe(2)
  })

  it('refuses two roots, unknown entities, and unclosed tags', () => {
    expect(() => parseXml('<a/><b/>')).toThrow(XmlMalformedError)
    expect(() => parseXml('<a>&nope;</a>')).toThrow(XmlMalformedError)
    expect(() => parseXml('<a><b></a>')).toThrow(XmlMalformedError)
    expect(() => parseXml('')).toThrow(XmlMalformedError)
  })

  it('refuses a quantity that is not a number, with PERMIT_VALUE_INVALID', () => {
    const xml = '<CITESEPermit><SpecifiedSupplyChainConsignment><IncludedSupplyChainConsignmentItem><ID>A</ID><TransportLogisticsPackage><ItemQuantity>many</ItemQuantity></TransportLogisticsPackage></IncludedSupplyChainConsignmentItem></SpecifiedSupplyChainConsignment></CITESEPermit>'
    expect(() => readPermitXml(xml)).toThrow(PermitValueError)
  })
})
