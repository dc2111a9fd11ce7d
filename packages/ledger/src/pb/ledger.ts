import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

// One empty array shared by every absent bytes field (scripts/protons.mjs says why).
const EMPTY_BYTES = new Uint8Array(0)

export enum EventType {
  EVENT_TYPE_UNSPECIFIED = 'EVENT_TYPE_UNSPECIFIED',
  ISSUED = 'ISSUED',
  EXPORT_ENDORSED = 'EXPORT_ENDORSED',
  CONSUMED = 'CONSUMED',
  CANCELLED = 'CANCELLED',
  REPLACED = 'REPLACED',
  PROVISIONAL_CONSUMED = 'PROVISIONAL_CONSUMED',
  CLAIM_REFUSED = 'CLAIM_REFUSED',
  USE_REFUSED = 'USE_REFUSED',
  EXPORT_VOIDED = 'EXPORT_VOIDED'
}

enum __EventTypeValues {
  EVENT_TYPE_UNSPECIFIED = 0,
  ISSUED = 1,
  EXPORT_ENDORSED = 2,
  CONSUMED = 3,
  CANCELLED = 4,
  REPLACED = 5,
  PROVISIONAL_CONSUMED = 6,
  CLAIM_REFUSED = 7,
  USE_REFUSED = 8,
  EXPORT_VOIDED = 9
}

export namespace EventType {
  export const codec = (): Codec<EventType> => {
    return enumeration<EventType>(__EventTypeValues)
  }
}

export enum ReplacementReason {
  REPLACEMENT_REASON_UNSPECIFIED = 'REPLACEMENT_REASON_UNSPECIFIED',
  REPLACEMENT_LOST = 'REPLACEMENT_LOST',
  REPLACEMENT_STOLEN = 'REPLACEMENT_STOLEN',
  REPLACEMENT_DAMAGED = 'REPLACEMENT_DAMAGED',
  REPLACEMENT_ERROR = 'REPLACEMENT_ERROR'
}

enum __ReplacementReasonValues {
  REPLACEMENT_REASON_UNSPECIFIED = 0,
  REPLACEMENT_LOST = 1,
  REPLACEMENT_STOLEN = 2,
  REPLACEMENT_DAMAGED = 3,
  REPLACEMENT_ERROR = 4
}

export namespace ReplacementReason {
  export const codec = (): Codec<ReplacementReason> => {
    return enumeration<ReplacementReason>(__ReplacementReasonValues)
  }
}

export interface Event {
  author: string
  seq: bigint
  prevHash: Uint8Array<ArrayBuffer>
  type: EventType
  permitParty: string
  permitNumber: string
  body: Uint8Array<ArrayBuffer>
  time: bigint
  certSha256: Uint8Array<ArrayBuffer>
  actor?: string
  version: number
  carriedFrom: Uint8Array<ArrayBuffer>
  carriedAt: bigint
}

export namespace Event {
  let _codec: Codec<Event>

  export const codec = (): Codec<Event> => {
    if (_codec == null) {
      _codec = message<Event>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.author != null && obj.author !== '')) {
          w.uint32(10)
          w.string(obj.author)
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(16)
          w.uint64(obj.seq)
        }

        if ((obj.prevHash != null && obj.prevHash.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.prevHash)
        }

        if (obj.type != null && __EventTypeValues[obj.type] !== 0) {
          w.uint32(32)
          EventType.codec().encode(obj.type, w)
        }

        if ((obj.permitParty != null && obj.permitParty !== '')) {
          w.uint32(42)
          w.string(obj.permitParty)
        }

        if ((obj.permitNumber != null && obj.permitNumber !== '')) {
          w.uint32(50)
          w.string(obj.permitNumber)
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.body)
        }

        if ((obj.time != null && obj.time !== 0n)) {
          w.uint32(64)
          w.uint64(obj.time)
        }

        if ((obj.certSha256 != null && obj.certSha256.byteLength > 0)) {
          w.uint32(74)
          w.bytes(obj.certSha256)
        }

        if (obj.actor != null) {
          w.uint32(82)
          w.string(obj.actor)
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(88)
          w.uint32(obj.version)
        }

        if ((obj.carriedFrom != null && obj.carriedFrom.byteLength > 0)) {
          w.uint32(98)
          w.bytes(obj.carriedFrom)
        }

        if ((obj.carriedAt != null && obj.carriedAt !== 0n)) {
          w.uint32(104)
          w.uint64(obj.carriedAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          author: '',
          seq: 0n,
          prevHash: EMPTY_BYTES,
          type: EventType.EVENT_TYPE_UNSPECIFIED,
          permitParty: '',
          permitNumber: '',
          body: EMPTY_BYTES,
          time: 0n,
          certSha256: EMPTY_BYTES,
          version: 0,
          carriedFrom: EMPTY_BYTES,
          carriedAt: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.author = reader.string()
              break
            }
            case 2: {
              obj.seq = reader.uint64()
              break
            }
            case 3: {
              obj.prevHash = reader.bytes()
              break
            }
            case 4: {
              obj.type = EventType.codec().decode(reader)
              break
            }
            case 5: {
              obj.permitParty = reader.string()
              break
            }
            case 6: {
              obj.permitNumber = reader.string()
              break
            }
            case 7: {
              obj.body = reader.bytes()
              break
            }
            case 8: {
              obj.time = reader.uint64()
              break
            }
            case 9: {
              obj.certSha256 = reader.bytes()
              break
            }
            case 10: {
              obj.actor = reader.string()
              break
            }
            case 11: {
              obj.version = reader.uint32()
              break
            }
            case 12: {
              obj.carriedFrom = reader.bytes()
              break
            }
            case 13: {
              obj.carriedAt = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.author`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.prevHash`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.type`,
                value: EventType.codec().decode(reader)
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.permitParty`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.permitNumber`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.time`,
                value: reader.uint64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.certSha256`,
                value: reader.bytes()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.actor`,
                value: reader.string()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.carriedFrom`,
                value: reader.bytes()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.carriedAt`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface EventAuthorFieldEvent {
    field: '$.author'
    value: string
  }

  export interface EventSeqFieldEvent {
    field: '$.seq'
    value: bigint
  }

  export interface EventPrevHashFieldEvent {
    field: '$.prevHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EventTypeFieldEvent {
    field: '$.type'
    value: EventType
  }

  export interface EventPermitPartyFieldEvent {
    field: '$.permitParty'
    value: string
  }

  export interface EventPermitNumberFieldEvent {
    field: '$.permitNumber'
    value: string
  }

  export interface EventBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EventTimeFieldEvent {
    field: '$.time'
    value: bigint
  }

  export interface EventCertSha256FieldEvent {
    field: '$.certSha256'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EventActorFieldEvent {
    field: '$.actor'
    value: string
  }

  export interface EventVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface EventCarriedFromFieldEvent {
    field: '$.carriedFrom'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EventCarriedAtFieldEvent {
    field: '$.carriedAt'
    value: bigint
  }

  export function encode (obj: Partial<Event>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Event.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Event>): Event {
    return decodeMessage(buf, Event.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Event>): Generator<EventAuthorFieldEvent | EventSeqFieldEvent | EventPrevHashFieldEvent | EventTypeFieldEvent | EventPermitPartyFieldEvent | EventPermitNumberFieldEvent | EventBodyFieldEvent | EventTimeFieldEvent | EventCertSha256FieldEvent | EventActorFieldEvent | EventVersionFieldEvent | EventCarriedFromFieldEvent | EventCarriedAtFieldEvent> {
    return streamMessage(buf, Event.codec(), opts)
  }
}

export interface SignedEvent {
  event: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedEvent {
  let _codec: Codec<SignedEvent>

  export const codec = (): Codec<SignedEvent> => {
    if (_codec == null) {
      _codec = message<SignedEvent>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.event != null && obj.event.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.event)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          event: EMPTY_BYTES,
          signature: EMPTY_BYTES
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.event = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.event`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedEventEventFieldEvent {
    field: '$.event'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedEventSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedEvent>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedEvent.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedEvent>): SignedEvent {
    return decodeMessage(buf, SignedEvent.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedEvent>): Generator<SignedEventEventFieldEvent | SignedEventSignatureFieldEvent> {
    return streamMessage(buf, SignedEvent.codec(), opts)
  }
}

export interface LineQuantity {
  line: string
  quantity: number
  unit: string
}

export namespace LineQuantity {
  let _codec: Codec<LineQuantity>

  export const codec = (): Codec<LineQuantity> => {
    if (_codec == null) {
      _codec = message<LineQuantity>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.line != null && obj.line !== '')) {
          w.uint32(10)
          w.string(obj.line)
        }

        if ((obj.quantity != null && obj.quantity !== 0)) {
          w.uint32(17)
          w.double(obj.quantity)
        }

        if ((obj.unit != null && obj.unit !== '')) {
          w.uint32(26)
          w.string(obj.unit)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          line: '',
          quantity: 0,
          unit: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.line = reader.string()
              break
            }
            case 2: {
              obj.quantity = reader.double()
              break
            }
            case 3: {
              obj.unit = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.line`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.quantity`,
                value: reader.double()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.unit`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface LineQuantityLineFieldEvent {
    field: '$.line'
    value: string
  }

  export interface LineQuantityQuantityFieldEvent {
    field: '$.quantity'
    value: number
  }

  export interface LineQuantityUnitFieldEvent {
    field: '$.unit'
    value: string
  }

  export function encode (obj: Partial<LineQuantity>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LineQuantity.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LineQuantity>): LineQuantity {
    return decodeMessage(buf, LineQuantity.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LineQuantity>): Generator<LineQuantityLineFieldEvent | LineQuantityQuantityFieldEvent | LineQuantityUnitFieldEvent> {
    return streamMessage(buf, LineQuantity.codec(), opts)
  }
}

export interface PermitLineSummary {
  line: string
  scientificName: string
  appendix: string
  source: string
  term: string
  quantity: number
  unit: string
  origin: string
  originPermit: string
}

export namespace PermitLineSummary {
  let _codec: Codec<PermitLineSummary>

  export const codec = (): Codec<PermitLineSummary> => {
    if (_codec == null) {
      _codec = message<PermitLineSummary>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.line != null && obj.line !== '')) {
          w.uint32(10)
          w.string(obj.line)
        }

        if ((obj.scientificName != null && obj.scientificName !== '')) {
          w.uint32(18)
          w.string(obj.scientificName)
        }

        if ((obj.appendix != null && obj.appendix !== '')) {
          w.uint32(26)
          w.string(obj.appendix)
        }

        if ((obj.source != null && obj.source !== '')) {
          w.uint32(34)
          w.string(obj.source)
        }

        if ((obj.term != null && obj.term !== '')) {
          w.uint32(42)
          w.string(obj.term)
        }

        if ((obj.quantity != null && obj.quantity !== 0)) {
          w.uint32(49)
          w.double(obj.quantity)
        }

        if ((obj.unit != null && obj.unit !== '')) {
          w.uint32(58)
          w.string(obj.unit)
        }

        if ((obj.origin != null && obj.origin !== '')) {
          w.uint32(66)
          w.string(obj.origin)
        }

        if ((obj.originPermit != null && obj.originPermit !== '')) {
          w.uint32(74)
          w.string(obj.originPermit)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          line: '',
          scientificName: '',
          appendix: '',
          source: '',
          term: '',
          quantity: 0,
          unit: '',
          origin: '',
          originPermit: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.line = reader.string()
              break
            }
            case 2: {
              obj.scientificName = reader.string()
              break
            }
            case 3: {
              obj.appendix = reader.string()
              break
            }
            case 4: {
              obj.source = reader.string()
              break
            }
            case 5: {
              obj.term = reader.string()
              break
            }
            case 6: {
              obj.quantity = reader.double()
              break
            }
            case 7: {
              obj.unit = reader.string()
              break
            }
            case 8: {
              obj.origin = reader.string()
              break
            }
            case 9: {
              obj.originPermit = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.line`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.scientificName`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.appendix`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.source`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.term`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.quantity`,
                value: reader.double()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.unit`,
                value: reader.string()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.origin`,
                value: reader.string()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.originPermit`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PermitLineSummaryLineFieldEvent {
    field: '$.line'
    value: string
  }

  export interface PermitLineSummaryScientificNameFieldEvent {
    field: '$.scientificName'
    value: string
  }

  export interface PermitLineSummaryAppendixFieldEvent {
    field: '$.appendix'
    value: string
  }

  export interface PermitLineSummarySourceFieldEvent {
    field: '$.source'
    value: string
  }

  export interface PermitLineSummaryTermFieldEvent {
    field: '$.term'
    value: string
  }

  export interface PermitLineSummaryQuantityFieldEvent {
    field: '$.quantity'
    value: number
  }

  export interface PermitLineSummaryUnitFieldEvent {
    field: '$.unit'
    value: string
  }

  export interface PermitLineSummaryOriginFieldEvent {
    field: '$.origin'
    value: string
  }

  export interface PermitLineSummaryOriginPermitFieldEvent {
    field: '$.originPermit'
    value: string
  }

  export function encode (obj: Partial<PermitLineSummary>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PermitLineSummary.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PermitLineSummary>): PermitLineSummary {
    return decodeMessage(buf, PermitLineSummary.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PermitLineSummary>): Generator<PermitLineSummaryLineFieldEvent | PermitLineSummaryScientificNameFieldEvent | PermitLineSummaryAppendixFieldEvent | PermitLineSummarySourceFieldEvent | PermitLineSummaryTermFieldEvent | PermitLineSummaryQuantityFieldEvent | PermitLineSummaryUnitFieldEvent | PermitLineSummaryOriginFieldEvent | PermitLineSummaryOriginPermitFieldEvent> {
    return streamMessage(buf, PermitLineSummary.codec(), opts)
  }
}

export interface IssuedBody {
  xmlSha256: Uint8Array<ArrayBuffer>
  documentType: string
  destination: string
  exporterCountry: string
  validFrom: bigint
  validUntil: bigint
  issueTime: bigint
  purpose: string
  lines: PermitLineSummary[]
  replaces: string
  certificateType: string
  stampSha256: Uint8Array<ArrayBuffer>
}

export namespace IssuedBody {
  let _codec: Codec<IssuedBody>

  export const codec = (): Codec<IssuedBody> => {
    if (_codec == null) {
      _codec = message<IssuedBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.xmlSha256 != null && obj.xmlSha256.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.xmlSha256)
        }

        if ((obj.documentType != null && obj.documentType !== '')) {
          w.uint32(26)
          w.string(obj.documentType)
        }

        if ((obj.destination != null && obj.destination !== '')) {
          w.uint32(34)
          w.string(obj.destination)
        }

        if ((obj.exporterCountry != null && obj.exporterCountry !== '')) {
          w.uint32(42)
          w.string(obj.exporterCountry)
        }

        if ((obj.validFrom != null && obj.validFrom !== 0n)) {
          w.uint32(48)
          w.uint64(obj.validFrom)
        }

        if ((obj.validUntil != null && obj.validUntil !== 0n)) {
          w.uint32(56)
          w.uint64(obj.validUntil)
        }

        if ((obj.issueTime != null && obj.issueTime !== 0n)) {
          w.uint32(64)
          w.uint64(obj.issueTime)
        }

        if ((obj.purpose != null && obj.purpose !== '')) {
          w.uint32(74)
          w.string(obj.purpose)
        }

        if (obj.lines != null && obj.lines.length > 0) {
          for (const value of obj.lines) {
            w.uint32(82)
            PermitLineSummary.codec().encode(value, w)
          }
        }

        if ((obj.replaces != null && obj.replaces !== '')) {
          w.uint32(90)
          w.string(obj.replaces)
        }

        if ((obj.certificateType != null && obj.certificateType !== '')) {
          w.uint32(98)
          w.string(obj.certificateType)
        }

        if ((obj.stampSha256 != null && obj.stampSha256.byteLength > 0)) {
          w.uint32(106)
          w.bytes(obj.stampSha256)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          xmlSha256: EMPTY_BYTES,
          documentType: '',
          destination: '',
          exporterCountry: '',
          validFrom: 0n,
          validUntil: 0n,
          issueTime: 0n,
          purpose: '',
          lines: [],
          replaces: '',
          certificateType: '',
          stampSha256: EMPTY_BYTES
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 2: {
              obj.xmlSha256 = reader.bytes()
              break
            }
            case 3: {
              obj.documentType = reader.string()
              break
            }
            case 4: {
              obj.destination = reader.string()
              break
            }
            case 5: {
              obj.exporterCountry = reader.string()
              break
            }
            case 6: {
              obj.validFrom = reader.uint64()
              break
            }
            case 7: {
              obj.validUntil = reader.uint64()
              break
            }
            case 8: {
              obj.issueTime = reader.uint64()
              break
            }
            case 9: {
              obj.purpose = reader.string()
              break
            }
            case 10: {
              if (opts.limits?.lines != null && obj.lines.length === opts.limits.lines) {
                throw new MaxLengthError('Decode error - repeated field "lines" had too many elements')
              }

              obj.lines.push(PermitLineSummary.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.lines$
              }))
              break
            }
            case 11: {
              obj.replaces = reader.string()
              break
            }
            case 12: {
              obj.certificateType = reader.string()
              break
            }
            case 13: {
              obj.stampSha256 = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          lines: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 2: {
              yield {
                field: `${prefix}.xmlSha256`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.documentType`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.destination`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.exporterCountry`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.validFrom`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.validUntil`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.issueTime`,
                value: reader.uint64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.purpose`,
                value: reader.string()
              }
              break
            }
            case 10: {
              if (opts.limits?.lines != null && obj.lines === opts.limits.lines) {
                throw new MaxLengthError('Streaming decode error - repeated field "lines" had too many elements')
              }

              for (const evt of PermitLineSummary.codec().stream(reader, reader.uint32(), `${prefix}.lines[]`, {
                limits: opts.limits?.lines$
              })) {
                yield {
                  ...evt,
                  index: obj.lines
                }
              }

              obj.lines++

              break
            }
            case 11: {
              yield {
                field: `${prefix}.replaces`,
                value: reader.string()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.certificateType`,
                value: reader.string()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.stampSha256`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface IssuedBodyXmlSha256FieldEvent {
    field: '$.xmlSha256'
    value: Uint8Array<ArrayBuffer>
  }

  export interface IssuedBodyDocumentTypeFieldEvent {
    field: '$.documentType'
    value: string
  }

  export interface IssuedBodyDestinationFieldEvent {
    field: '$.destination'
    value: string
  }

  export interface IssuedBodyExporterCountryFieldEvent {
    field: '$.exporterCountry'
    value: string
  }

  export interface IssuedBodyValidFromFieldEvent {
    field: '$.validFrom'
    value: bigint
  }

  export interface IssuedBodyValidUntilFieldEvent {
    field: '$.validUntil'
    value: bigint
  }

  export interface IssuedBodyIssueTimeFieldEvent {
    field: '$.issueTime'
    value: bigint
  }

  export interface IssuedBodyPurposeFieldEvent {
    field: '$.purpose'
    value: string
  }

  export interface IssuedBodyLinesLineFieldEvent {
    field: '$.lines[].line'
    value: string
    index: number
  }

  export interface IssuedBodyLinesScientificNameFieldEvent {
    field: '$.lines[].scientificName'
    value: string
    index: number
  }

  export interface IssuedBodyLinesAppendixFieldEvent {
    field: '$.lines[].appendix'
    value: string
    index: number
  }

  export interface IssuedBodyLinesSourceFieldEvent {
    field: '$.lines[].source'
    value: string
    index: number
  }

  export interface IssuedBodyLinesTermFieldEvent {
    field: '$.lines[].term'
    value: string
    index: number
  }

  export interface IssuedBodyLinesQuantityFieldEvent {
    field: '$.lines[].quantity'
    value: number
    index: number
  }

  export interface IssuedBodyLinesUnitFieldEvent {
    field: '$.lines[].unit'
    value: string
    index: number
  }

  export interface IssuedBodyLinesOriginFieldEvent {
    field: '$.lines[].origin'
    value: string
    index: number
  }

  export interface IssuedBodyLinesOriginPermitFieldEvent {
    field: '$.lines[].originPermit'
    value: string
    index: number
  }

  export interface IssuedBodyReplacesFieldEvent {
    field: '$.replaces'
    value: string
  }

  export interface IssuedBodyCertificateTypeFieldEvent {
    field: '$.certificateType'
    value: string
  }

  export interface IssuedBodyStampSha256FieldEvent {
    field: '$.stampSha256'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<IssuedBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, IssuedBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IssuedBody>): IssuedBody {
    return decodeMessage(buf, IssuedBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IssuedBody>): Generator<IssuedBodyXmlSha256FieldEvent | IssuedBodyDocumentTypeFieldEvent | IssuedBodyDestinationFieldEvent | IssuedBodyExporterCountryFieldEvent | IssuedBodyValidFromFieldEvent | IssuedBodyValidUntilFieldEvent | IssuedBodyIssueTimeFieldEvent | IssuedBodyPurposeFieldEvent | IssuedBodyLinesLineFieldEvent | IssuedBodyLinesScientificNameFieldEvent | IssuedBodyLinesAppendixFieldEvent | IssuedBodyLinesSourceFieldEvent | IssuedBodyLinesTermFieldEvent | IssuedBodyLinesQuantityFieldEvent | IssuedBodyLinesUnitFieldEvent | IssuedBodyLinesOriginFieldEvent | IssuedBodyLinesOriginPermitFieldEvent | IssuedBodyReplacesFieldEvent | IssuedBodyCertificateTypeFieldEvent | IssuedBodyStampSha256FieldEvent> {
    return streamMessage(buf, IssuedBody.codec(), opts)
  }
}

export interface IssuedBodyV1 {
  signedXml: Uint8Array<ArrayBuffer>
  xmlSha256: Uint8Array<ArrayBuffer>
  documentType: string
  destination: string
  exporterCountry: string
  validFrom: bigint
  validUntil: bigint
  issueTime: bigint
  purpose: string
  lines: PermitLineSummary[]
  replaces: string
  certificateType: string
}

export namespace IssuedBodyV1 {
  let _codec: Codec<IssuedBodyV1>

  export const codec = (): Codec<IssuedBodyV1> => {
    if (_codec == null) {
      _codec = message<IssuedBodyV1>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.signedXml != null && obj.signedXml.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.signedXml)
        }

        if ((obj.xmlSha256 != null && obj.xmlSha256.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.xmlSha256)
        }

        if ((obj.documentType != null && obj.documentType !== '')) {
          w.uint32(26)
          w.string(obj.documentType)
        }

        if ((obj.destination != null && obj.destination !== '')) {
          w.uint32(34)
          w.string(obj.destination)
        }

        if ((obj.exporterCountry != null && obj.exporterCountry !== '')) {
          w.uint32(42)
          w.string(obj.exporterCountry)
        }

        if ((obj.validFrom != null && obj.validFrom !== 0n)) {
          w.uint32(48)
          w.uint64(obj.validFrom)
        }

        if ((obj.validUntil != null && obj.validUntil !== 0n)) {
          w.uint32(56)
          w.uint64(obj.validUntil)
        }

        if ((obj.issueTime != null && obj.issueTime !== 0n)) {
          w.uint32(64)
          w.uint64(obj.issueTime)
        }

        if ((obj.purpose != null && obj.purpose !== '')) {
          w.uint32(74)
          w.string(obj.purpose)
        }

        if (obj.lines != null && obj.lines.length > 0) {
          for (const value of obj.lines) {
            w.uint32(82)
            PermitLineSummary.codec().encode(value, w)
          }
        }

        if ((obj.replaces != null && obj.replaces !== '')) {
          w.uint32(90)
          w.string(obj.replaces)
        }

        if ((obj.certificateType != null && obj.certificateType !== '')) {
          w.uint32(98)
          w.string(obj.certificateType)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          signedXml: EMPTY_BYTES,
          xmlSha256: EMPTY_BYTES,
          documentType: '',
          destination: '',
          exporterCountry: '',
          validFrom: 0n,
          validUntil: 0n,
          issueTime: 0n,
          purpose: '',
          lines: [],
          replaces: '',
          certificateType: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.signedXml = reader.bytes()
              break
            }
            case 2: {
              obj.xmlSha256 = reader.bytes()
              break
            }
            case 3: {
              obj.documentType = reader.string()
              break
            }
            case 4: {
              obj.destination = reader.string()
              break
            }
            case 5: {
              obj.exporterCountry = reader.string()
              break
            }
            case 6: {
              obj.validFrom = reader.uint64()
              break
            }
            case 7: {
              obj.validUntil = reader.uint64()
              break
            }
            case 8: {
              obj.issueTime = reader.uint64()
              break
            }
            case 9: {
              obj.purpose = reader.string()
              break
            }
            case 10: {
              if (opts.limits?.lines != null && obj.lines.length === opts.limits.lines) {
                throw new MaxLengthError('Decode error - repeated field "lines" had too many elements')
              }

              obj.lines.push(PermitLineSummary.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.lines$
              }))
              break
            }
            case 11: {
              obj.replaces = reader.string()
              break
            }
            case 12: {
              obj.certificateType = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          lines: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.signedXml`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.xmlSha256`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.documentType`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.destination`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.exporterCountry`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.validFrom`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.validUntil`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.issueTime`,
                value: reader.uint64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.purpose`,
                value: reader.string()
              }
              break
            }
            case 10: {
              if (opts.limits?.lines != null && obj.lines === opts.limits.lines) {
                throw new MaxLengthError('Streaming decode error - repeated field "lines" had too many elements')
              }

              for (const evt of PermitLineSummary.codec().stream(reader, reader.uint32(), `${prefix}.lines[]`, {
                limits: opts.limits?.lines$
              })) {
                yield {
                  ...evt,
                  index: obj.lines
                }
              }

              obj.lines++

              break
            }
            case 11: {
              yield {
                field: `${prefix}.replaces`,
                value: reader.string()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.certificateType`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface IssuedBodyV1SignedXmlFieldEvent {
    field: '$.signedXml'
    value: Uint8Array<ArrayBuffer>
  }

  export interface IssuedBodyV1XmlSha256FieldEvent {
    field: '$.xmlSha256'
    value: Uint8Array<ArrayBuffer>
  }

  export interface IssuedBodyV1DocumentTypeFieldEvent {
    field: '$.documentType'
    value: string
  }

  export interface IssuedBodyV1DestinationFieldEvent {
    field: '$.destination'
    value: string
  }

  export interface IssuedBodyV1ExporterCountryFieldEvent {
    field: '$.exporterCountry'
    value: string
  }

  export interface IssuedBodyV1ValidFromFieldEvent {
    field: '$.validFrom'
    value: bigint
  }

  export interface IssuedBodyV1ValidUntilFieldEvent {
    field: '$.validUntil'
    value: bigint
  }

  export interface IssuedBodyV1IssueTimeFieldEvent {
    field: '$.issueTime'
    value: bigint
  }

  export interface IssuedBodyV1PurposeFieldEvent {
    field: '$.purpose'
    value: string
  }

  export interface IssuedBodyV1LinesLineFieldEvent {
    field: '$.lines[].line'
    value: string
    index: number
  }

  export interface IssuedBodyV1LinesScientificNameFieldEvent {
    field: '$.lines[].scientificName'
    value: string
    index: number
  }

  export interface IssuedBodyV1LinesAppendixFieldEvent {
    field: '$.lines[].appendix'
    value: string
    index: number
  }

  export interface IssuedBodyV1LinesSourceFieldEvent {
    field: '$.lines[].source'
    value: string
    index: number
  }

  export interface IssuedBodyV1LinesTermFieldEvent {
    field: '$.lines[].term'
    value: string
    index: number
  }

  export interface IssuedBodyV1LinesQuantityFieldEvent {
    field: '$.lines[].quantity'
    value: number
    index: number
  }

  export interface IssuedBodyV1LinesUnitFieldEvent {
    field: '$.lines[].unit'
    value: string
    index: number
  }

  export interface IssuedBodyV1LinesOriginFieldEvent {
    field: '$.lines[].origin'
    value: string
    index: number
  }

  export interface IssuedBodyV1LinesOriginPermitFieldEvent {
    field: '$.lines[].originPermit'
    value: string
    index: number
  }

  export interface IssuedBodyV1ReplacesFieldEvent {
    field: '$.replaces'
    value: string
  }

  export interface IssuedBodyV1CertificateTypeFieldEvent {
    field: '$.certificateType'
    value: string
  }

  export function encode (obj: Partial<IssuedBodyV1>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, IssuedBodyV1.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IssuedBodyV1>): IssuedBodyV1 {
    return decodeMessage(buf, IssuedBodyV1.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IssuedBodyV1>): Generator<IssuedBodyV1SignedXmlFieldEvent | IssuedBodyV1XmlSha256FieldEvent | IssuedBodyV1DocumentTypeFieldEvent | IssuedBodyV1DestinationFieldEvent | IssuedBodyV1ExporterCountryFieldEvent | IssuedBodyV1ValidFromFieldEvent | IssuedBodyV1ValidUntilFieldEvent | IssuedBodyV1IssueTimeFieldEvent | IssuedBodyV1PurposeFieldEvent | IssuedBodyV1LinesLineFieldEvent | IssuedBodyV1LinesScientificNameFieldEvent | IssuedBodyV1LinesAppendixFieldEvent | IssuedBodyV1LinesSourceFieldEvent | IssuedBodyV1LinesTermFieldEvent | IssuedBodyV1LinesQuantityFieldEvent | IssuedBodyV1LinesUnitFieldEvent | IssuedBodyV1LinesOriginFieldEvent | IssuedBodyV1LinesOriginPermitFieldEvent | IssuedBodyV1ReplacesFieldEvent | IssuedBodyV1CertificateTypeFieldEvent> {
    return streamMessage(buf, IssuedBodyV1.codec(), opts)
  }
}

export interface EndorsedBody {
  lines: LineQuantity[]
  port: string
  officer: string
  date: bigint
}

export namespace EndorsedBody {
  let _codec: Codec<EndorsedBody>

  export const codec = (): Codec<EndorsedBody> => {
    if (_codec == null) {
      _codec = message<EndorsedBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.lines != null && obj.lines.length > 0) {
          for (const value of obj.lines) {
            w.uint32(10)
            LineQuantity.codec().encode(value, w)
          }
        }

        if ((obj.port != null && obj.port !== '')) {
          w.uint32(18)
          w.string(obj.port)
        }

        if ((obj.officer != null && obj.officer !== '')) {
          w.uint32(26)
          w.string(obj.officer)
        }

        if ((obj.date != null && obj.date !== 0n)) {
          w.uint32(32)
          w.uint64(obj.date)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          lines: [],
          port: '',
          officer: '',
          date: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.lines != null && obj.lines.length === opts.limits.lines) {
                throw new MaxLengthError('Decode error - repeated field "lines" had too many elements')
              }

              obj.lines.push(LineQuantity.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.lines$
              }))
              break
            }
            case 2: {
              obj.port = reader.string()
              break
            }
            case 3: {
              obj.officer = reader.string()
              break
            }
            case 4: {
              obj.date = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          lines: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.lines != null && obj.lines === opts.limits.lines) {
                throw new MaxLengthError('Streaming decode error - repeated field "lines" had too many elements')
              }

              for (const evt of LineQuantity.codec().stream(reader, reader.uint32(), `${prefix}.lines[]`, {
                limits: opts.limits?.lines$
              })) {
                yield {
                  ...evt,
                  index: obj.lines
                }
              }

              obj.lines++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.port`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.officer`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.date`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface EndorsedBodyLinesLineFieldEvent {
    field: '$.lines[].line'
    value: string
    index: number
  }

  export interface EndorsedBodyLinesQuantityFieldEvent {
    field: '$.lines[].quantity'
    value: number
    index: number
  }

  export interface EndorsedBodyLinesUnitFieldEvent {
    field: '$.lines[].unit'
    value: string
    index: number
  }

  export interface EndorsedBodyPortFieldEvent {
    field: '$.port'
    value: string
  }

  export interface EndorsedBodyOfficerFieldEvent {
    field: '$.officer'
    value: string
  }

  export interface EndorsedBodyDateFieldEvent {
    field: '$.date'
    value: bigint
  }

  export function encode (obj: Partial<EndorsedBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, EndorsedBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EndorsedBody>): EndorsedBody {
    return decodeMessage(buf, EndorsedBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EndorsedBody>): Generator<EndorsedBodyLinesLineFieldEvent | EndorsedBodyLinesQuantityFieldEvent | EndorsedBodyLinesUnitFieldEvent | EndorsedBodyPortFieldEvent | EndorsedBodyOfficerFieldEvent | EndorsedBodyDateFieldEvent> {
    return streamMessage(buf, EndorsedBody.codec(), opts)
  }
}

export interface ConsumedBody {
  lines: LineQuantity[]
  port: string
  officer: string
  consumingParty: string
  request: Uint8Array<ArrayBuffer>
  usedAt: bigint
  claimSeq: bigint
  claimHash: Uint8Array<ArrayBuffer>
  warnings: string[]
}

export namespace ConsumedBody {
  let _codec: Codec<ConsumedBody>

  export const codec = (): Codec<ConsumedBody> => {
    if (_codec == null) {
      _codec = message<ConsumedBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.lines != null && obj.lines.length > 0) {
          for (const value of obj.lines) {
            w.uint32(10)
            LineQuantity.codec().encode(value, w)
          }
        }

        if ((obj.port != null && obj.port !== '')) {
          w.uint32(18)
          w.string(obj.port)
        }

        if ((obj.officer != null && obj.officer !== '')) {
          w.uint32(26)
          w.string(obj.officer)
        }

        if ((obj.consumingParty != null && obj.consumingParty !== '')) {
          w.uint32(34)
          w.string(obj.consumingParty)
        }

        if ((obj.request != null && obj.request.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.request)
        }

        if ((obj.usedAt != null && obj.usedAt !== 0n)) {
          w.uint32(48)
          w.uint64(obj.usedAt)
        }

        if ((obj.claimSeq != null && obj.claimSeq !== 0n)) {
          w.uint32(56)
          w.uint64(obj.claimSeq)
        }

        if ((obj.claimHash != null && obj.claimHash.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.claimHash)
        }

        if (obj.warnings != null && obj.warnings.length > 0) {
          for (const value of obj.warnings) {
            w.uint32(74)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          lines: [],
          port: '',
          officer: '',
          consumingParty: '',
          request: EMPTY_BYTES,
          usedAt: 0n,
          claimSeq: 0n,
          claimHash: EMPTY_BYTES,
          warnings: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.lines != null && obj.lines.length === opts.limits.lines) {
                throw new MaxLengthError('Decode error - repeated field "lines" had too many elements')
              }

              obj.lines.push(LineQuantity.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.lines$
              }))
              break
            }
            case 2: {
              obj.port = reader.string()
              break
            }
            case 3: {
              obj.officer = reader.string()
              break
            }
            case 4: {
              obj.consumingParty = reader.string()
              break
            }
            case 5: {
              obj.request = reader.bytes()
              break
            }
            case 6: {
              obj.usedAt = reader.uint64()
              break
            }
            case 7: {
              obj.claimSeq = reader.uint64()
              break
            }
            case 8: {
              obj.claimHash = reader.bytes()
              break
            }
            case 9: {
              if (opts.limits?.warnings != null && obj.warnings.length === opts.limits.warnings) {
                throw new MaxLengthError('Decode error - repeated field "warnings" had too many elements')
              }

              obj.warnings.push(reader.string())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          lines: 0,
          warnings: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.lines != null && obj.lines === opts.limits.lines) {
                throw new MaxLengthError('Streaming decode error - repeated field "lines" had too many elements')
              }

              for (const evt of LineQuantity.codec().stream(reader, reader.uint32(), `${prefix}.lines[]`, {
                limits: opts.limits?.lines$
              })) {
                yield {
                  ...evt,
                  index: obj.lines
                }
              }

              obj.lines++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.port`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.officer`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.consumingParty`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.request`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.usedAt`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.claimSeq`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.claimHash`,
                value: reader.bytes()
              }
              break
            }
            case 9: {
              if (opts.limits?.warnings != null && obj.warnings === opts.limits.warnings) {
                throw new MaxLengthError('Streaming decode error - repeated field "warnings" had too many elements')
              }

              yield {
                field: `${prefix}.warnings[]`,
                index: obj.warnings,
                value: reader.string()
              }

              obj.warnings++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ConsumedBodyLinesLineFieldEvent {
    field: '$.lines[].line'
    value: string
    index: number
  }

  export interface ConsumedBodyLinesQuantityFieldEvent {
    field: '$.lines[].quantity'
    value: number
    index: number
  }

  export interface ConsumedBodyLinesUnitFieldEvent {
    field: '$.lines[].unit'
    value: string
    index: number
  }

  export interface ConsumedBodyPortFieldEvent {
    field: '$.port'
    value: string
  }

  export interface ConsumedBodyOfficerFieldEvent {
    field: '$.officer'
    value: string
  }

  export interface ConsumedBodyConsumingPartyFieldEvent {
    field: '$.consumingParty'
    value: string
  }

  export interface ConsumedBodyRequestFieldEvent {
    field: '$.request'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ConsumedBodyUsedAtFieldEvent {
    field: '$.usedAt'
    value: bigint
  }

  export interface ConsumedBodyClaimSeqFieldEvent {
    field: '$.claimSeq'
    value: bigint
  }

  export interface ConsumedBodyClaimHashFieldEvent {
    field: '$.claimHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ConsumedBodyWarningsFieldEvent {
    field: '$.warnings[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<ConsumedBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ConsumedBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsumedBody>): ConsumedBody {
    return decodeMessage(buf, ConsumedBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsumedBody>): Generator<ConsumedBodyLinesLineFieldEvent | ConsumedBodyLinesQuantityFieldEvent | ConsumedBodyLinesUnitFieldEvent | ConsumedBodyPortFieldEvent | ConsumedBodyOfficerFieldEvent | ConsumedBodyConsumingPartyFieldEvent | ConsumedBodyRequestFieldEvent | ConsumedBodyUsedAtFieldEvent | ConsumedBodyClaimSeqFieldEvent | ConsumedBodyClaimHashFieldEvent | ConsumedBodyWarningsFieldEvent> {
    return streamMessage(buf, ConsumedBody.codec(), opts)
  }
}

export interface ProvisionalBody {
  lines: LineQuantity[]
  port: string
  officer: string
  reason: string
}

export namespace ProvisionalBody {
  let _codec: Codec<ProvisionalBody>

  export const codec = (): Codec<ProvisionalBody> => {
    if (_codec == null) {
      _codec = message<ProvisionalBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.lines != null && obj.lines.length > 0) {
          for (const value of obj.lines) {
            w.uint32(10)
            LineQuantity.codec().encode(value, w)
          }
        }

        if ((obj.port != null && obj.port !== '')) {
          w.uint32(18)
          w.string(obj.port)
        }

        if ((obj.officer != null && obj.officer !== '')) {
          w.uint32(26)
          w.string(obj.officer)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(34)
          w.string(obj.reason)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          lines: [],
          port: '',
          officer: '',
          reason: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.lines != null && obj.lines.length === opts.limits.lines) {
                throw new MaxLengthError('Decode error - repeated field "lines" had too many elements')
              }

              obj.lines.push(LineQuantity.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.lines$
              }))
              break
            }
            case 2: {
              obj.port = reader.string()
              break
            }
            case 3: {
              obj.officer = reader.string()
              break
            }
            case 4: {
              obj.reason = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          lines: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.lines != null && obj.lines === opts.limits.lines) {
                throw new MaxLengthError('Streaming decode error - repeated field "lines" had too many elements')
              }

              for (const evt of LineQuantity.codec().stream(reader, reader.uint32(), `${prefix}.lines[]`, {
                limits: opts.limits?.lines$
              })) {
                yield {
                  ...evt,
                  index: obj.lines
                }
              }

              obj.lines++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.port`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.officer`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.reason`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ProvisionalBodyLinesLineFieldEvent {
    field: '$.lines[].line'
    value: string
    index: number
  }

  export interface ProvisionalBodyLinesQuantityFieldEvent {
    field: '$.lines[].quantity'
    value: number
    index: number
  }

  export interface ProvisionalBodyLinesUnitFieldEvent {
    field: '$.lines[].unit'
    value: string
    index: number
  }

  export interface ProvisionalBodyPortFieldEvent {
    field: '$.port'
    value: string
  }

  export interface ProvisionalBodyOfficerFieldEvent {
    field: '$.officer'
    value: string
  }

  export interface ProvisionalBodyReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export function encode (obj: Partial<ProvisionalBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ProvisionalBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ProvisionalBody>): ProvisionalBody {
    return decodeMessage(buf, ProvisionalBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ProvisionalBody>): Generator<ProvisionalBodyLinesLineFieldEvent | ProvisionalBodyLinesQuantityFieldEvent | ProvisionalBodyLinesUnitFieldEvent | ProvisionalBodyPortFieldEvent | ProvisionalBodyOfficerFieldEvent | ProvisionalBodyReasonFieldEvent> {
    return streamMessage(buf, ProvisionalBody.codec(), opts)
  }
}

export interface UseRefusedBody {
  requester: string
  port: string
  code: string
  message: string
}

export namespace UseRefusedBody {
  let _codec: Codec<UseRefusedBody>

  export const codec = (): Codec<UseRefusedBody> => {
    if (_codec == null) {
      _codec = message<UseRefusedBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.requester != null && obj.requester !== '')) {
          w.uint32(10)
          w.string(obj.requester)
        }

        if ((obj.port != null && obj.port !== '')) {
          w.uint32(18)
          w.string(obj.port)
        }

        if ((obj.code != null && obj.code !== '')) {
          w.uint32(26)
          w.string(obj.code)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(34)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          requester: '',
          port: '',
          code: '',
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.requester = reader.string()
              break
            }
            case 2: {
              obj.port = reader.string()
              break
            }
            case 3: {
              obj.code = reader.string()
              break
            }
            case 4: {
              obj.message = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.requester`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.port`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.code`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface UseRefusedBodyRequesterFieldEvent {
    field: '$.requester'
    value: string
  }

  export interface UseRefusedBodyPortFieldEvent {
    field: '$.port'
    value: string
  }

  export interface UseRefusedBodyCodeFieldEvent {
    field: '$.code'
    value: string
  }

  export interface UseRefusedBodyMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<UseRefusedBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, UseRefusedBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UseRefusedBody>): UseRefusedBody {
    return decodeMessage(buf, UseRefusedBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UseRefusedBody>): Generator<UseRefusedBodyRequesterFieldEvent | UseRefusedBodyPortFieldEvent | UseRefusedBodyCodeFieldEvent | UseRefusedBodyMessageFieldEvent> {
    return streamMessage(buf, UseRefusedBody.codec(), opts)
  }
}

export interface ClaimRefusedBody {
  claimant: string
  claimSeq: bigint
  claimHash: Uint8Array<ArrayBuffer>
  code: string
  message: string
  evidenceSeq: bigint
}

export namespace ClaimRefusedBody {
  let _codec: Codec<ClaimRefusedBody>

  export const codec = (): Codec<ClaimRefusedBody> => {
    if (_codec == null) {
      _codec = message<ClaimRefusedBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.claimant != null && obj.claimant !== '')) {
          w.uint32(10)
          w.string(obj.claimant)
        }

        if ((obj.claimSeq != null && obj.claimSeq !== 0n)) {
          w.uint32(16)
          w.uint64(obj.claimSeq)
        }

        if ((obj.claimHash != null && obj.claimHash.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.claimHash)
        }

        if ((obj.code != null && obj.code !== '')) {
          w.uint32(34)
          w.string(obj.code)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(42)
          w.string(obj.message)
        }

        if ((obj.evidenceSeq != null && obj.evidenceSeq !== 0n)) {
          w.uint32(48)
          w.uint64(obj.evidenceSeq)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          claimant: '',
          claimSeq: 0n,
          claimHash: EMPTY_BYTES,
          code: '',
          message: '',
          evidenceSeq: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.claimant = reader.string()
              break
            }
            case 2: {
              obj.claimSeq = reader.uint64()
              break
            }
            case 3: {
              obj.claimHash = reader.bytes()
              break
            }
            case 4: {
              obj.code = reader.string()
              break
            }
            case 5: {
              obj.message = reader.string()
              break
            }
            case 6: {
              obj.evidenceSeq = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.claimant`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.claimSeq`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.claimHash`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.code`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.evidenceSeq`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ClaimRefusedBodyClaimantFieldEvent {
    field: '$.claimant'
    value: string
  }

  export interface ClaimRefusedBodyClaimSeqFieldEvent {
    field: '$.claimSeq'
    value: bigint
  }

  export interface ClaimRefusedBodyClaimHashFieldEvent {
    field: '$.claimHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClaimRefusedBodyCodeFieldEvent {
    field: '$.code'
    value: string
  }

  export interface ClaimRefusedBodyMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export interface ClaimRefusedBodyEvidenceSeqFieldEvent {
    field: '$.evidenceSeq'
    value: bigint
  }

  export function encode (obj: Partial<ClaimRefusedBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ClaimRefusedBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClaimRefusedBody>): ClaimRefusedBody {
    return decodeMessage(buf, ClaimRefusedBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClaimRefusedBody>): Generator<ClaimRefusedBodyClaimantFieldEvent | ClaimRefusedBodyClaimSeqFieldEvent | ClaimRefusedBodyClaimHashFieldEvent | ClaimRefusedBodyCodeFieldEvent | ClaimRefusedBodyMessageFieldEvent | ClaimRefusedBodyEvidenceSeqFieldEvent> {
    return streamMessage(buf, ClaimRefusedBody.codec(), opts)
  }
}

export interface CancelledBody {
  reason: string
}

export namespace CancelledBody {
  let _codec: Codec<CancelledBody>

  export const codec = (): Codec<CancelledBody> => {
    if (_codec == null) {
      _codec = message<CancelledBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(10)
          w.string(obj.reason)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          reason: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.reason = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.reason`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CancelledBodyReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export function encode (obj: Partial<CancelledBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CancelledBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CancelledBody>): CancelledBody {
    return decodeMessage(buf, CancelledBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CancelledBody>): Generator<CancelledBodyReasonFieldEvent> {
    return streamMessage(buf, CancelledBody.codec(), opts)
  }
}

export interface ReplacedBody {
  replacementNumber: string
  reason: string
  reasonCode: ReplacementReason
}

export namespace ReplacedBody {
  let _codec: Codec<ReplacedBody>

  export const codec = (): Codec<ReplacedBody> => {
    if (_codec == null) {
      _codec = message<ReplacedBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.replacementNumber != null && obj.replacementNumber !== '')) {
          w.uint32(10)
          w.string(obj.replacementNumber)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(18)
          w.string(obj.reason)
        }

        if (obj.reasonCode != null && __ReplacementReasonValues[obj.reasonCode] !== 0) {
          w.uint32(24)
          ReplacementReason.codec().encode(obj.reasonCode, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          replacementNumber: '',
          reason: '',
          reasonCode: ReplacementReason.REPLACEMENT_REASON_UNSPECIFIED
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.replacementNumber = reader.string()
              break
            }
            case 2: {
              obj.reason = reader.string()
              break
            }
            case 3: {
              obj.reasonCode = ReplacementReason.codec().decode(reader)
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.replacementNumber`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.reason`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.reasonCode`,
                value: ReplacementReason.codec().decode(reader)
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ReplacedBodyReplacementNumberFieldEvent {
    field: '$.replacementNumber'
    value: string
  }

  export interface ReplacedBodyReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export interface ReplacedBodyReasonCodeFieldEvent {
    field: '$.reasonCode'
    value: ReplacementReason
  }

  export function encode (obj: Partial<ReplacedBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ReplacedBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReplacedBody>): ReplacedBody {
    return decodeMessage(buf, ReplacedBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReplacedBody>): Generator<ReplacedBodyReplacementNumberFieldEvent | ReplacedBodyReasonFieldEvent | ReplacedBodyReasonCodeFieldEvent> {
    return streamMessage(buf, ReplacedBody.codec(), opts)
  }
}

export interface ExportVoidedBody {
  reason: string
}

export namespace ExportVoidedBody {
  let _codec: Codec<ExportVoidedBody>

  export const codec = (): Codec<ExportVoidedBody> => {
    if (_codec == null) {
      _codec = message<ExportVoidedBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(10)
          w.string(obj.reason)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          reason: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.reason = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.reason`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ExportVoidedBodyReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export function encode (obj: Partial<ExportVoidedBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ExportVoidedBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ExportVoidedBody>): ExportVoidedBody {
    return decodeMessage(buf, ExportVoidedBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ExportVoidedBody>): Generator<ExportVoidedBodyReasonFieldEvent> {
    return streamMessage(buf, ExportVoidedBody.codec(), opts)
  }
}

export interface Checkpoint {
  author: string
  size: bigint
  root: Uint8Array<ArrayBuffer>
  time: bigint
  certSha256: Uint8Array<ArrayBuffer>
}

export namespace Checkpoint {
  let _codec: Codec<Checkpoint>

  export const codec = (): Codec<Checkpoint> => {
    if (_codec == null) {
      _codec = message<Checkpoint>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.author != null && obj.author !== '')) {
          w.uint32(10)
          w.string(obj.author)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(16)
          w.uint64(obj.size)
        }

        if ((obj.root != null && obj.root.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.root)
        }

        if ((obj.time != null && obj.time !== 0n)) {
          w.uint32(32)
          w.uint64(obj.time)
        }

        if ((obj.certSha256 != null && obj.certSha256.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.certSha256)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          author: '',
          size: 0n,
          root: EMPTY_BYTES,
          time: 0n,
          certSha256: EMPTY_BYTES
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.author = reader.string()
              break
            }
            case 2: {
              obj.size = reader.uint64()
              break
            }
            case 3: {
              obj.root = reader.bytes()
              break
            }
            case 4: {
              obj.time = reader.uint64()
              break
            }
            case 5: {
              obj.certSha256 = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.author`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.root`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.time`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.certSha256`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CheckpointAuthorFieldEvent {
    field: '$.author'
    value: string
  }

  export interface CheckpointSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface CheckpointRootFieldEvent {
    field: '$.root'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CheckpointTimeFieldEvent {
    field: '$.time'
    value: bigint
  }

  export interface CheckpointCertSha256FieldEvent {
    field: '$.certSha256'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Checkpoint>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Checkpoint.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Checkpoint>): Checkpoint {
    return decodeMessage(buf, Checkpoint.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Checkpoint>): Generator<CheckpointAuthorFieldEvent | CheckpointSizeFieldEvent | CheckpointRootFieldEvent | CheckpointTimeFieldEvent | CheckpointCertSha256FieldEvent> {
    return streamMessage(buf, Checkpoint.codec(), opts)
  }
}

export interface SignedCheckpoint {
  checkpoint: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedCheckpoint {
  let _codec: Codec<SignedCheckpoint>

  export const codec = (): Codec<SignedCheckpoint> => {
    if (_codec == null) {
      _codec = message<SignedCheckpoint>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.checkpoint != null && obj.checkpoint.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.checkpoint)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          checkpoint: EMPTY_BYTES,
          signature: EMPTY_BYTES
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.checkpoint = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.checkpoint`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedCheckpointCheckpointFieldEvent {
    field: '$.checkpoint'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedCheckpointSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedCheckpoint>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedCheckpoint.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedCheckpoint>): SignedCheckpoint {
    return decodeMessage(buf, SignedCheckpoint.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedCheckpoint>): Generator<SignedCheckpointCheckpointFieldEvent | SignedCheckpointSignatureFieldEvent> {
    return streamMessage(buf, SignedCheckpoint.codec(), opts)
  }
}
