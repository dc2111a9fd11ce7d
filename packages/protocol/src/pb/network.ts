import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum Status {
  STATUS_UNSPECIFIED = 'STATUS_UNSPECIFIED',
  OK = 'OK',
  NOT_FOUND = 'NOT_FOUND',
  BUSY = 'BUSY',
  MALFORMED = 'MALFORMED',
  TOO_LARGE = 'TOO_LARGE'
}

enum __StatusValues {
  STATUS_UNSPECIFIED = 0,
  OK = 100,
  NOT_FOUND = 200,
  BUSY = 201,
  MALFORMED = 400,
  TOO_LARGE = 401
}

export namespace Status {
  export const codec = (): Codec<Status> => {
    return enumeration<Status>(__StatusValues)
  }
}

export interface SyncRequest {
  author: string
  fromSeq: bigint
  limit: number
}

export namespace SyncRequest {
  let _codec: Codec<SyncRequest>

  export const codec = (): Codec<SyncRequest> => {
    if (_codec == null) {
      _codec = message<SyncRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.author != null && obj.author !== '')) {
          w.uint32(10)
          w.string(obj.author)
        }

        if ((obj.fromSeq != null && obj.fromSeq !== 0n)) {
          w.uint32(16)
          w.uint64(obj.fromSeq)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(24)
          w.uint32(obj.limit)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          author: '',
          fromSeq: 0n,
          limit: 0
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
              obj.fromSeq = reader.uint64()
              break
            }
            case 3: {
              obj.limit = reader.uint32()
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
                field: `${prefix}.fromSeq`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
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

  export interface SyncRequestAuthorFieldEvent {
    field: '$.author'
    value: string
  }

  export interface SyncRequestFromSeqFieldEvent {
    field: '$.fromSeq'
    value: bigint
  }

  export interface SyncRequestLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export function encode (obj: Partial<SyncRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SyncRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRequest>): SyncRequest {
    return decodeMessage(buf, SyncRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRequest>): Generator<SyncRequestAuthorFieldEvent | SyncRequestFromSeqFieldEvent | SyncRequestLimitFieldEvent> {
    return streamMessage(buf, SyncRequest.codec(), opts)
  }
}

export interface SyncResponse {
  status: Status
  events: Uint8Array<ArrayBuffer>[]
  checkpoint: Uint8Array<ArrayBuffer>
  headSize: bigint
  message: string
}

export namespace SyncResponse {
  let _codec: Codec<SyncResponse>

  export const codec = (): Codec<SyncResponse> => {
    if (_codec == null) {
      _codec = message<SyncResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(8)
          Status.codec().encode(obj.status, w)
        }

        if (obj.events != null && obj.events.length > 0) {
          for (const value of obj.events) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if ((obj.checkpoint != null && obj.checkpoint.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.checkpoint)
        }

        if ((obj.headSize != null && obj.headSize !== 0n)) {
          w.uint32(32)
          w.uint64(obj.headSize)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(42)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: Status.STATUS_UNSPECIFIED,
          events: [],
          checkpoint: uint8ArrayAlloc(0),
          headSize: 0n,
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = Status.codec().decode(reader)
              break
            }
            case 2: {
              if (opts.limits?.events != null && obj.events.length === opts.limits.events) {
                throw new MaxLengthError('Decode error - repeated field "events" had too many elements')
              }

              obj.events.push(reader.bytes())
              break
            }
            case 3: {
              obj.checkpoint = reader.bytes()
              break
            }
            case 4: {
              obj.headSize = reader.uint64()
              break
            }
            case 5: {
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
        const obj = {
          events: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.status`,
                value: Status.codec().decode(reader)
              }
              break
            }
            case 2: {
              if (opts.limits?.events != null && obj.events === opts.limits.events) {
                throw new MaxLengthError('Streaming decode error - repeated field "events" had too many elements')
              }

              yield {
                field: `${prefix}.events[]`,
                index: obj.events,
                value: reader.bytes()
              }

              obj.events++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.checkpoint`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.headSize`,
                value: reader.uint64()
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

  export interface SyncResponseStatusFieldEvent {
    field: '$.status'
    value: Status
  }

  export interface SyncResponseEventsFieldEvent {
    field: '$.events[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncResponseCheckpointFieldEvent {
    field: '$.checkpoint'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncResponseHeadSizeFieldEvent {
    field: '$.headSize'
    value: bigint
  }

  export interface SyncResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<SyncResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SyncResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncResponse>): SyncResponse {
    return decodeMessage(buf, SyncResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncResponse>): Generator<SyncResponseStatusFieldEvent | SyncResponseEventsFieldEvent | SyncResponseCheckpointFieldEvent | SyncResponseHeadSizeFieldEvent | SyncResponseMessageFieldEvent> {
    return streamMessage(buf, SyncResponse.codec(), opts)
  }
}

export interface TrustListRequest {
  haveSequence: bigint
}

export namespace TrustListRequest {
  let _codec: Codec<TrustListRequest>

  export const codec = (): Codec<TrustListRequest> => {
    if (_codec == null) {
      _codec = message<TrustListRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.haveSequence != null && obj.haveSequence !== 0n)) {
          w.uint32(8)
          w.uint64(obj.haveSequence)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          haveSequence: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.haveSequence = reader.uint64()
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
                field: `${prefix}.haveSequence`,
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

  export interface TrustListRequestHaveSequenceFieldEvent {
    field: '$.haveSequence'
    value: bigint
  }

  export function encode (obj: Partial<TrustListRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TrustListRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TrustListRequest>): TrustListRequest {
    return decodeMessage(buf, TrustListRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TrustListRequest>): Generator<TrustListRequestHaveSequenceFieldEvent> {
    return streamMessage(buf, TrustListRequest.codec(), opts)
  }
}

export interface TrustListResponse {
  status: Status
  trustList: Uint8Array<ArrayBuffer>
  sequence: bigint
  message: string
}

export namespace TrustListResponse {
  let _codec: Codec<TrustListResponse>

  export const codec = (): Codec<TrustListResponse> => {
    if (_codec == null) {
      _codec = message<TrustListResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(8)
          Status.codec().encode(obj.status, w)
        }

        if ((obj.trustList != null && obj.trustList.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.trustList)
        }

        if ((obj.sequence != null && obj.sequence !== 0n)) {
          w.uint32(24)
          w.uint64(obj.sequence)
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
          status: Status.STATUS_UNSPECIFIED,
          trustList: uint8ArrayAlloc(0),
          sequence: 0n,
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = Status.codec().decode(reader)
              break
            }
            case 2: {
              obj.trustList = reader.bytes()
              break
            }
            case 3: {
              obj.sequence = reader.uint64()
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
                field: `${prefix}.status`,
                value: Status.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.trustList`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sequence`,
                value: reader.uint64()
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

  export interface TrustListResponseStatusFieldEvent {
    field: '$.status'
    value: Status
  }

  export interface TrustListResponseTrustListFieldEvent {
    field: '$.trustList'
    value: Uint8Array<ArrayBuffer>
  }

  export interface TrustListResponseSequenceFieldEvent {
    field: '$.sequence'
    value: bigint
  }

  export interface TrustListResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<TrustListResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TrustListResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TrustListResponse>): TrustListResponse {
    return decodeMessage(buf, TrustListResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TrustListResponse>): Generator<TrustListResponseStatusFieldEvent | TrustListResponseTrustListFieldEvent | TrustListResponseSequenceFieldEvent | TrustListResponseMessageFieldEvent> {
    return streamMessage(buf, TrustListResponse.codec(), opts)
  }
}

export interface Gossip {
  event: Uint8Array<ArrayBuffer>
  checkpoint: Uint8Array<ArrayBuffer>
}

export namespace Gossip {
  let _codec: Codec<Gossip>

  export const codec = (): Codec<Gossip> => {
    if (_codec == null) {
      _codec = message<Gossip>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.event != null && obj.event.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.event)
        }

        if ((obj.checkpoint != null && obj.checkpoint.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.checkpoint)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          event: uint8ArrayAlloc(0),
          checkpoint: uint8ArrayAlloc(0)
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
              obj.checkpoint = reader.bytes()
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
                field: `${prefix}.checkpoint`,
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

  export interface GossipEventFieldEvent {
    field: '$.event'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GossipCheckpointFieldEvent {
    field: '$.checkpoint'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Gossip>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Gossip.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Gossip>): Gossip {
    return decodeMessage(buf, Gossip.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Gossip>): Generator<GossipEventFieldEvent | GossipCheckpointFieldEvent> {
    return streamMessage(buf, Gossip.codec(), opts)
  }
}
