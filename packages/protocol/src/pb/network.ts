import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

// One empty array shared by every absent bytes field (scripts/protons.mjs says why).
const EMPTY_BYTES = new Uint8Array(0)

export enum Status {
  STATUS_UNSPECIFIED = 'STATUS_UNSPECIFIED',
  OK = 'OK',
  NOT_FOUND = 'NOT_FOUND',
  BUSY = 'BUSY',
  REFUSED = 'REFUSED',
  MALFORMED = 'MALFORMED',
  TOO_LARGE = 'TOO_LARGE'
}

enum __StatusValues {
  STATUS_UNSPECIFIED = 0,
  OK = 100,
  NOT_FOUND = 200,
  BUSY = 201,
  REFUSED = 202,
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
  knownHash: Uint8Array<ArrayBuffer>
  checkpoint: Uint8Array<ArrayBuffer>
  heads: HeldLog[]
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

        if ((obj.knownHash != null && obj.knownHash.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.knownHash)
        }

        if ((obj.checkpoint != null && obj.checkpoint.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.checkpoint)
        }

        if (obj.heads != null && obj.heads.length > 0) {
          for (const value of obj.heads) {
            w.uint32(50)
            HeldLog.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          author: '',
          fromSeq: 0n,
          limit: 0,
          knownHash: EMPTY_BYTES,
          checkpoint: EMPTY_BYTES,
          heads: []
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
            case 4: {
              obj.knownHash = reader.bytes()
              break
            }
            case 5: {
              obj.checkpoint = reader.bytes()
              break
            }
            case 6: {
              if (opts.limits?.heads != null && obj.heads.length === opts.limits.heads) {
                throw new MaxLengthError('Decode error - repeated field "heads" had too many elements')
              }

              obj.heads.push(HeldLog.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.heads$
              }))
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
          heads: 0
        }

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
            case 4: {
              yield {
                field: `${prefix}.knownHash`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.checkpoint`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              if (opts.limits?.heads != null && obj.heads === opts.limits.heads) {
                throw new MaxLengthError('Streaming decode error - repeated field "heads" had too many elements')
              }

              for (const evt of HeldLog.codec().stream(reader, reader.uint32(), `${prefix}.heads[]`, {
                limits: opts.limits?.heads$
              })) {
                yield {
                  ...evt,
                  index: obj.heads
                }
              }

              obj.heads++

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

  export interface SyncRequestKnownHashFieldEvent {
    field: '$.knownHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncRequestCheckpointFieldEvent {
    field: '$.checkpoint'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncRequestHeadsAuthorFieldEvent {
    field: '$.heads[].author'
    value: string
    index: number
  }

  export interface SyncRequestHeadsSizeFieldEvent {
    field: '$.heads[].size'
    value: bigint
    index: number
  }

  export interface SyncRequestHeadsHashFieldEvent {
    field: '$.heads[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<SyncRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SyncRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRequest>): SyncRequest {
    return decodeMessage(buf, SyncRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRequest>): Generator<SyncRequestAuthorFieldEvent | SyncRequestFromSeqFieldEvent | SyncRequestLimitFieldEvent | SyncRequestKnownHashFieldEvent | SyncRequestCheckpointFieldEvent | SyncRequestHeadsAuthorFieldEvent | SyncRequestHeadsSizeFieldEvent | SyncRequestHeadsHashFieldEvent> {
    return streamMessage(buf, SyncRequest.codec(), opts)
  }
}

export interface HeldLog {
  author: string
  size: bigint
  hash: Uint8Array<ArrayBuffer>
}

export namespace HeldLog {
  let _codec: Codec<HeldLog>

  export const codec = (): Codec<HeldLog> => {
    if (_codec == null) {
      _codec = message<HeldLog>((obj, w, opts = {}) => {
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

        if ((obj.hash != null && obj.hash.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.hash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          author: '',
          size: 0n,
          hash: EMPTY_BYTES
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
              obj.hash = reader.bytes()
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
                field: `${prefix}.hash`,
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

  export interface HeldLogAuthorFieldEvent {
    field: '$.author'
    value: string
  }

  export interface HeldLogSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface HeldLogHashFieldEvent {
    field: '$.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<HeldLog>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, HeldLog.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HeldLog>): HeldLog {
    return decodeMessage(buf, HeldLog.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HeldLog>): Generator<HeldLogAuthorFieldEvent | HeldLogSizeFieldEvent | HeldLogHashFieldEvent> {
    return streamMessage(buf, HeldLog.codec(), opts)
  }
}

export interface SyncResponse {
  status: Status
  events: Uint8Array<ArrayBuffer>[]
  checkpoint: Uint8Array<ArrayBuffer>
  headSize: bigint
  message: string
  conflict: Uint8Array<ArrayBuffer>
  headCheckpoint: Uint8Array<ArrayBuffer>
  heads: HeldLog[]
  time?: bigint
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

        if ((obj.conflict != null && obj.conflict.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.conflict)
        }

        if ((obj.headCheckpoint != null && obj.headCheckpoint.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.headCheckpoint)
        }

        if (obj.heads != null && obj.heads.length > 0) {
          for (const value of obj.heads) {
            w.uint32(66)
            HeldLog.codec().encode(value, w)
          }
        }

        if (obj.time != null) {
          w.uint32(72)
          w.uint64(obj.time)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: Status.STATUS_UNSPECIFIED,
          events: [],
          checkpoint: EMPTY_BYTES,
          headSize: 0n,
          message: '',
          conflict: EMPTY_BYTES,
          headCheckpoint: EMPTY_BYTES,
          heads: []
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
            case 6: {
              obj.conflict = reader.bytes()
              break
            }
            case 7: {
              obj.headCheckpoint = reader.bytes()
              break
            }
            case 8: {
              if (opts.limits?.heads != null && obj.heads.length === opts.limits.heads) {
                throw new MaxLengthError('Decode error - repeated field "heads" had too many elements')
              }

              obj.heads.push(HeldLog.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.heads$
              }))
              break
            }
            case 9: {
              obj.time = reader.uint64()
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
          events: 0,
          heads: 0
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
            case 6: {
              yield {
                field: `${prefix}.conflict`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.headCheckpoint`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              if (opts.limits?.heads != null && obj.heads === opts.limits.heads) {
                throw new MaxLengthError('Streaming decode error - repeated field "heads" had too many elements')
              }

              for (const evt of HeldLog.codec().stream(reader, reader.uint32(), `${prefix}.heads[]`, {
                limits: opts.limits?.heads$
              })) {
                yield {
                  ...evt,
                  index: obj.heads
                }
              }

              obj.heads++

              break
            }
            case 9: {
              yield {
                field: `${prefix}.time`,
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

  export interface SyncResponseConflictFieldEvent {
    field: '$.conflict'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncResponseHeadCheckpointFieldEvent {
    field: '$.headCheckpoint'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncResponseHeadsAuthorFieldEvent {
    field: '$.heads[].author'
    value: string
    index: number
  }

  export interface SyncResponseHeadsSizeFieldEvent {
    field: '$.heads[].size'
    value: bigint
    index: number
  }

  export interface SyncResponseHeadsHashFieldEvent {
    field: '$.heads[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseTimeFieldEvent {
    field: '$.time'
    value: bigint
  }

  export function encode (obj: Partial<SyncResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SyncResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncResponse>): SyncResponse {
    return decodeMessage(buf, SyncResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncResponse>): Generator<SyncResponseStatusFieldEvent | SyncResponseEventsFieldEvent | SyncResponseCheckpointFieldEvent | SyncResponseHeadSizeFieldEvent | SyncResponseMessageFieldEvent | SyncResponseConflictFieldEvent | SyncResponseHeadCheckpointFieldEvent | SyncResponseHeadsAuthorFieldEvent | SyncResponseHeadsSizeFieldEvent | SyncResponseHeadsHashFieldEvent | SyncResponseTimeFieldEvent> {
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
          trustList: EMPTY_BYTES,
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
  trustListSequence: bigint
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

        if ((obj.trustListSequence != null && obj.trustListSequence !== 0n)) {
          w.uint32(24)
          w.uint64(obj.trustListSequence)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          event: EMPTY_BYTES,
          checkpoint: EMPTY_BYTES,
          trustListSequence: 0n
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
            case 3: {
              obj.trustListSequence = reader.uint64()
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
            case 3: {
              yield {
                field: `${prefix}.trustListSequence`,
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

  export interface GossipEventFieldEvent {
    field: '$.event'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GossipCheckpointFieldEvent {
    field: '$.checkpoint'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GossipTrustListSequenceFieldEvent {
    field: '$.trustListSequence'
    value: bigint
  }

  export function encode (obj: Partial<Gossip>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Gossip.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Gossip>): Gossip {
    return decodeMessage(buf, Gossip.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Gossip>): Generator<GossipEventFieldEvent | GossipCheckpointFieldEvent | GossipTrustListSequenceFieldEvent> {
    return streamMessage(buf, Gossip.codec(), opts)
  }
}

export interface VerifyRequest {
  party: string
  number: string
}

export namespace VerifyRequest {
  let _codec: Codec<VerifyRequest>

  export const codec = (): Codec<VerifyRequest> => {
    if (_codec == null) {
      _codec = message<VerifyRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.party != null && obj.party !== '')) {
          w.uint32(10)
          w.string(obj.party)
        }

        if ((obj.number != null && obj.number !== '')) {
          w.uint32(18)
          w.string(obj.number)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          party: '',
          number: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.party = reader.string()
              break
            }
            case 2: {
              obj.number = reader.string()
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
                field: `${prefix}.party`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.number`,
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

  export interface VerifyRequestPartyFieldEvent {
    field: '$.party'
    value: string
  }

  export interface VerifyRequestNumberFieldEvent {
    field: '$.number'
    value: string
  }

  export function encode (obj: Partial<VerifyRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, VerifyRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<VerifyRequest>): VerifyRequest {
    return decodeMessage(buf, VerifyRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<VerifyRequest>): Generator<VerifyRequestPartyFieldEvent | VerifyRequestNumberFieldEvent> {
    return streamMessage(buf, VerifyRequest.codec(), opts)
  }
}

export interface VerifyResponse {
  status: Status
  events: Uint8Array<ArrayBuffer>[]
  checkpoint: Uint8Array<ArrayBuffer>
  headSize: bigint
  message: string
}

export namespace VerifyResponse {
  let _codec: Codec<VerifyResponse>

  export const codec = (): Codec<VerifyResponse> => {
    if (_codec == null) {
      _codec = message<VerifyResponse>((obj, w, opts = {}) => {
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
          checkpoint: EMPTY_BYTES,
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

  export interface VerifyResponseStatusFieldEvent {
    field: '$.status'
    value: Status
  }

  export interface VerifyResponseEventsFieldEvent {
    field: '$.events[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface VerifyResponseCheckpointFieldEvent {
    field: '$.checkpoint'
    value: Uint8Array<ArrayBuffer>
  }

  export interface VerifyResponseHeadSizeFieldEvent {
    field: '$.headSize'
    value: bigint
  }

  export interface VerifyResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<VerifyResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, VerifyResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<VerifyResponse>): VerifyResponse {
    return decodeMessage(buf, VerifyResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<VerifyResponse>): Generator<VerifyResponseStatusFieldEvent | VerifyResponseEventsFieldEvent | VerifyResponseCheckpointFieldEvent | VerifyResponseHeadSizeFieldEvent | VerifyResponseMessageFieldEvent> {
    return streamMessage(buf, VerifyResponse.codec(), opts)
  }
}

export interface ConsumeRequestBody {
  party: string
  number: string
  lines: ConsumeLine[]
  port: string
  officer: string
  requester: string
  time: bigint
  certSha256: Uint8Array<ArrayBuffer>
  nonce: Uint8Array<ArrayBuffer>
  claimSeq: bigint
  claimHash: Uint8Array<ArrayBuffer>
  usedAt: bigint
  actor?: string
}

export namespace ConsumeRequestBody {
  let _codec: Codec<ConsumeRequestBody>

  export const codec = (): Codec<ConsumeRequestBody> => {
    if (_codec == null) {
      _codec = message<ConsumeRequestBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.party != null && obj.party !== '')) {
          w.uint32(10)
          w.string(obj.party)
        }

        if ((obj.number != null && obj.number !== '')) {
          w.uint32(18)
          w.string(obj.number)
        }

        if (obj.lines != null && obj.lines.length > 0) {
          for (const value of obj.lines) {
            w.uint32(26)
            ConsumeLine.codec().encode(value, w)
          }
        }

        if ((obj.port != null && obj.port !== '')) {
          w.uint32(34)
          w.string(obj.port)
        }

        if ((obj.officer != null && obj.officer !== '')) {
          w.uint32(42)
          w.string(obj.officer)
        }

        if ((obj.requester != null && obj.requester !== '')) {
          w.uint32(50)
          w.string(obj.requester)
        }

        if ((obj.time != null && obj.time !== 0n)) {
          w.uint32(56)
          w.uint64(obj.time)
        }

        if ((obj.certSha256 != null && obj.certSha256.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.certSha256)
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(74)
          w.bytes(obj.nonce)
        }

        if ((obj.claimSeq != null && obj.claimSeq !== 0n)) {
          w.uint32(80)
          w.uint64(obj.claimSeq)
        }

        if ((obj.claimHash != null && obj.claimHash.byteLength > 0)) {
          w.uint32(90)
          w.bytes(obj.claimHash)
        }

        if ((obj.usedAt != null && obj.usedAt !== 0n)) {
          w.uint32(96)
          w.uint64(obj.usedAt)
        }

        if (obj.actor != null) {
          w.uint32(106)
          w.string(obj.actor)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          party: '',
          number: '',
          lines: [],
          port: '',
          officer: '',
          requester: '',
          time: 0n,
          certSha256: EMPTY_BYTES,
          nonce: EMPTY_BYTES,
          claimSeq: 0n,
          claimHash: EMPTY_BYTES,
          usedAt: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.party = reader.string()
              break
            }
            case 2: {
              obj.number = reader.string()
              break
            }
            case 3: {
              if (opts.limits?.lines != null && obj.lines.length === opts.limits.lines) {
                throw new MaxLengthError('Decode error - repeated field "lines" had too many elements')
              }

              obj.lines.push(ConsumeLine.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.lines$
              }))
              break
            }
            case 4: {
              obj.port = reader.string()
              break
            }
            case 5: {
              obj.officer = reader.string()
              break
            }
            case 6: {
              obj.requester = reader.string()
              break
            }
            case 7: {
              obj.time = reader.uint64()
              break
            }
            case 8: {
              obj.certSha256 = reader.bytes()
              break
            }
            case 9: {
              obj.nonce = reader.bytes()
              break
            }
            case 10: {
              obj.claimSeq = reader.uint64()
              break
            }
            case 11: {
              obj.claimHash = reader.bytes()
              break
            }
            case 12: {
              obj.usedAt = reader.uint64()
              break
            }
            case 13: {
              obj.actor = reader.string()
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
                field: `${prefix}.party`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.number`,
                value: reader.string()
              }
              break
            }
            case 3: {
              if (opts.limits?.lines != null && obj.lines === opts.limits.lines) {
                throw new MaxLengthError('Streaming decode error - repeated field "lines" had too many elements')
              }

              for (const evt of ConsumeLine.codec().stream(reader, reader.uint32(), `${prefix}.lines[]`, {
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
            case 4: {
              yield {
                field: `${prefix}.port`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.officer`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.requester`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.time`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.certSha256`,
                value: reader.bytes()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.claimSeq`,
                value: reader.uint64()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.claimHash`,
                value: reader.bytes()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.usedAt`,
                value: reader.uint64()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.actor`,
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

  export interface ConsumeRequestBodyPartyFieldEvent {
    field: '$.party'
    value: string
  }

  export interface ConsumeRequestBodyNumberFieldEvent {
    field: '$.number'
    value: string
  }

  export interface ConsumeRequestBodyLinesLineFieldEvent {
    field: '$.lines[].line'
    value: string
    index: number
  }

  export interface ConsumeRequestBodyLinesQuantityFieldEvent {
    field: '$.lines[].quantity'
    value: number
    index: number
  }

  export interface ConsumeRequestBodyLinesUnitFieldEvent {
    field: '$.lines[].unit'
    value: string
    index: number
  }

  export interface ConsumeRequestBodyPortFieldEvent {
    field: '$.port'
    value: string
  }

  export interface ConsumeRequestBodyOfficerFieldEvent {
    field: '$.officer'
    value: string
  }

  export interface ConsumeRequestBodyRequesterFieldEvent {
    field: '$.requester'
    value: string
  }

  export interface ConsumeRequestBodyTimeFieldEvent {
    field: '$.time'
    value: bigint
  }

  export interface ConsumeRequestBodyCertSha256FieldEvent {
    field: '$.certSha256'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ConsumeRequestBodyNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ConsumeRequestBodyClaimSeqFieldEvent {
    field: '$.claimSeq'
    value: bigint
  }

  export interface ConsumeRequestBodyClaimHashFieldEvent {
    field: '$.claimHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ConsumeRequestBodyUsedAtFieldEvent {
    field: '$.usedAt'
    value: bigint
  }

  export interface ConsumeRequestBodyActorFieldEvent {
    field: '$.actor'
    value: string
  }

  export function encode (obj: Partial<ConsumeRequestBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ConsumeRequestBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsumeRequestBody>): ConsumeRequestBody {
    return decodeMessage(buf, ConsumeRequestBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsumeRequestBody>): Generator<ConsumeRequestBodyPartyFieldEvent | ConsumeRequestBodyNumberFieldEvent | ConsumeRequestBodyLinesLineFieldEvent | ConsumeRequestBodyLinesQuantityFieldEvent | ConsumeRequestBodyLinesUnitFieldEvent | ConsumeRequestBodyPortFieldEvent | ConsumeRequestBodyOfficerFieldEvent | ConsumeRequestBodyRequesterFieldEvent | ConsumeRequestBodyTimeFieldEvent | ConsumeRequestBodyCertSha256FieldEvent | ConsumeRequestBodyNonceFieldEvent | ConsumeRequestBodyClaimSeqFieldEvent | ConsumeRequestBodyClaimHashFieldEvent | ConsumeRequestBodyUsedAtFieldEvent | ConsumeRequestBodyActorFieldEvent> {
    return streamMessage(buf, ConsumeRequestBody.codec(), opts)
  }
}

export interface ConsumeLine {
  line: string
  quantity: number
  unit: string
}

export namespace ConsumeLine {
  let _codec: Codec<ConsumeLine>

  export const codec = (): Codec<ConsumeLine> => {
    if (_codec == null) {
      _codec = message<ConsumeLine>((obj, w, opts = {}) => {
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

  export interface ConsumeLineLineFieldEvent {
    field: '$.line'
    value: string
  }

  export interface ConsumeLineQuantityFieldEvent {
    field: '$.quantity'
    value: number
  }

  export interface ConsumeLineUnitFieldEvent {
    field: '$.unit'
    value: string
  }

  export function encode (obj: Partial<ConsumeLine>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ConsumeLine.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsumeLine>): ConsumeLine {
    return decodeMessage(buf, ConsumeLine.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsumeLine>): Generator<ConsumeLineLineFieldEvent | ConsumeLineQuantityFieldEvent | ConsumeLineUnitFieldEvent> {
    return streamMessage(buf, ConsumeLine.codec(), opts)
  }
}

export interface SignedConsumeRequest {
  body: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedConsumeRequest {
  let _codec: Codec<SignedConsumeRequest>

  export const codec = (): Codec<SignedConsumeRequest> => {
    if (_codec == null) {
      _codec = message<SignedConsumeRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
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
          body: EMPTY_BYTES,
          signature: EMPTY_BYTES
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
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
                field: `${prefix}.body`,
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

  export interface SignedConsumeRequestBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedConsumeRequestSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedConsumeRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedConsumeRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedConsumeRequest>): SignedConsumeRequest {
    return decodeMessage(buf, SignedConsumeRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedConsumeRequest>): Generator<SignedConsumeRequestBodyFieldEvent | SignedConsumeRequestSignatureFieldEvent> {
    return streamMessage(buf, SignedConsumeRequest.codec(), opts)
  }
}

export interface ConsumeRequest {
  request: Uint8Array<ArrayBuffer>
}

export namespace ConsumeRequest {
  let _codec: Codec<ConsumeRequest>

  export const codec = (): Codec<ConsumeRequest> => {
    if (_codec == null) {
      _codec = message<ConsumeRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.request != null && obj.request.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.request)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          request: EMPTY_BYTES
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.request = reader.bytes()
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
                field: `${prefix}.request`,
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

  export interface ConsumeRequestRequestFieldEvent {
    field: '$.request'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ConsumeRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ConsumeRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsumeRequest>): ConsumeRequest {
    return decodeMessage(buf, ConsumeRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsumeRequest>): Generator<ConsumeRequestRequestFieldEvent> {
    return streamMessage(buf, ConsumeRequest.codec(), opts)
  }
}

export interface ConsumeResponse {
  status: Status
  code: string
  event: Uint8Array<ArrayBuffer>
  message: string
}

export namespace ConsumeResponse {
  let _codec: Codec<ConsumeResponse>

  export const codec = (): Codec<ConsumeResponse> => {
    if (_codec == null) {
      _codec = message<ConsumeResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(8)
          Status.codec().encode(obj.status, w)
        }

        if ((obj.code != null && obj.code !== '')) {
          w.uint32(18)
          w.string(obj.code)
        }

        if ((obj.event != null && obj.event.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.event)
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
          code: '',
          event: EMPTY_BYTES,
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
              obj.code = reader.string()
              break
            }
            case 3: {
              obj.event = reader.bytes()
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
                field: `${prefix}.code`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.event`,
                value: reader.bytes()
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

  export interface ConsumeResponseStatusFieldEvent {
    field: '$.status'
    value: Status
  }

  export interface ConsumeResponseCodeFieldEvent {
    field: '$.code'
    value: string
  }

  export interface ConsumeResponseEventFieldEvent {
    field: '$.event'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ConsumeResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<ConsumeResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ConsumeResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsumeResponse>): ConsumeResponse {
    return decodeMessage(buf, ConsumeResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsumeResponse>): Generator<ConsumeResponseStatusFieldEvent | ConsumeResponseCodeFieldEvent | ConsumeResponseEventFieldEvent | ConsumeResponseMessageFieldEvent> {
    return streamMessage(buf, ConsumeResponse.codec(), opts)
  }
}

export interface DeliverRequest {
  event: Uint8Array<ArrayBuffer>
  checkpoint: Uint8Array<ArrayBuffer>
  document: Uint8Array<ArrayBuffer>
}

export namespace DeliverRequest {
  let _codec: Codec<DeliverRequest>

  export const codec = (): Codec<DeliverRequest> => {
    if (_codec == null) {
      _codec = message<DeliverRequest>((obj, w, opts = {}) => {
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

        if ((obj.document != null && obj.document.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.document)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          event: EMPTY_BYTES,
          checkpoint: EMPTY_BYTES,
          document: EMPTY_BYTES
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
            case 3: {
              obj.document = reader.bytes()
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
            case 3: {
              yield {
                field: `${prefix}.document`,
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

  export interface DeliverRequestEventFieldEvent {
    field: '$.event'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DeliverRequestCheckpointFieldEvent {
    field: '$.checkpoint'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DeliverRequestDocumentFieldEvent {
    field: '$.document'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<DeliverRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DeliverRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverRequest>): DeliverRequest {
    return decodeMessage(buf, DeliverRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverRequest>): Generator<DeliverRequestEventFieldEvent | DeliverRequestCheckpointFieldEvent | DeliverRequestDocumentFieldEvent> {
    return streamMessage(buf, DeliverRequest.codec(), opts)
  }
}

export interface DeliverResponse {
  status: Status
  ack: Uint8Array<ArrayBuffer>
  message: string
}

export namespace DeliverResponse {
  let _codec: Codec<DeliverResponse>

  export const codec = (): Codec<DeliverResponse> => {
    if (_codec == null) {
      _codec = message<DeliverResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(8)
          Status.codec().encode(obj.status, w)
        }

        if ((obj.ack != null && obj.ack.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.ack)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(26)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: Status.STATUS_UNSPECIFIED,
          ack: EMPTY_BYTES,
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
              obj.ack = reader.bytes()
              break
            }
            case 3: {
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
                field: `${prefix}.ack`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
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

  export interface DeliverResponseStatusFieldEvent {
    field: '$.status'
    value: Status
  }

  export interface DeliverResponseAckFieldEvent {
    field: '$.ack'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DeliverResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<DeliverResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DeliverResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverResponse>): DeliverResponse {
    return decodeMessage(buf, DeliverResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverResponse>): Generator<DeliverResponseStatusFieldEvent | DeliverResponseAckFieldEvent | DeliverResponseMessageFieldEvent> {
    return streamMessage(buf, DeliverResponse.codec(), opts)
  }
}

export enum AckOutcome {
  ACK_OUTCOME_UNSPECIFIED = 'ACK_OUTCOME_UNSPECIFIED',
  DELIVERED = 'DELIVERED',
  REFUSED = 'REFUSED'
}

enum __AckOutcomeValues {
  ACK_OUTCOME_UNSPECIFIED = 0,
  DELIVERED = 1,
  REFUSED = 2
}

export namespace AckOutcome {
  export const codec = (): Codec<AckOutcome> => {
    return enumeration<AckOutcome>(__AckOutcomeValues)
  }
}

export interface AckBody {
  party: string
  number: string
  eventHash: Uint8Array<ArrayBuffer>
  outcome: AckOutcome
  codes: string[]
  receiver: string
  time: bigint
  certSha256: Uint8Array<ArrayBuffer>
}

export namespace AckBody {
  let _codec: Codec<AckBody>

  export const codec = (): Codec<AckBody> => {
    if (_codec == null) {
      _codec = message<AckBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.party != null && obj.party !== '')) {
          w.uint32(10)
          w.string(obj.party)
        }

        if ((obj.number != null && obj.number !== '')) {
          w.uint32(18)
          w.string(obj.number)
        }

        if ((obj.eventHash != null && obj.eventHash.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.eventHash)
        }

        if (obj.outcome != null && __AckOutcomeValues[obj.outcome] !== 0) {
          w.uint32(32)
          AckOutcome.codec().encode(obj.outcome, w)
        }

        if (obj.codes != null && obj.codes.length > 0) {
          for (const value of obj.codes) {
            w.uint32(42)
            w.string(value)
          }
        }

        if ((obj.receiver != null && obj.receiver !== '')) {
          w.uint32(50)
          w.string(obj.receiver)
        }

        if ((obj.time != null && obj.time !== 0n)) {
          w.uint32(56)
          w.uint64(obj.time)
        }

        if ((obj.certSha256 != null && obj.certSha256.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.certSha256)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          party: '',
          number: '',
          eventHash: EMPTY_BYTES,
          outcome: AckOutcome.ACK_OUTCOME_UNSPECIFIED,
          codes: [],
          receiver: '',
          time: 0n,
          certSha256: EMPTY_BYTES
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.party = reader.string()
              break
            }
            case 2: {
              obj.number = reader.string()
              break
            }
            case 3: {
              obj.eventHash = reader.bytes()
              break
            }
            case 4: {
              obj.outcome = AckOutcome.codec().decode(reader)
              break
            }
            case 5: {
              if (opts.limits?.codes != null && obj.codes.length === opts.limits.codes) {
                throw new MaxLengthError('Decode error - repeated field "codes" had too many elements')
              }

              obj.codes.push(reader.string())
              break
            }
            case 6: {
              obj.receiver = reader.string()
              break
            }
            case 7: {
              obj.time = reader.uint64()
              break
            }
            case 8: {
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
        const obj = {
          codes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.party`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.number`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.eventHash`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.outcome`,
                value: AckOutcome.codec().decode(reader)
              }
              break
            }
            case 5: {
              if (opts.limits?.codes != null && obj.codes === opts.limits.codes) {
                throw new MaxLengthError('Streaming decode error - repeated field "codes" had too many elements')
              }

              yield {
                field: `${prefix}.codes[]`,
                index: obj.codes,
                value: reader.string()
              }

              obj.codes++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.receiver`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.time`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
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

  export interface AckBodyPartyFieldEvent {
    field: '$.party'
    value: string
  }

  export interface AckBodyNumberFieldEvent {
    field: '$.number'
    value: string
  }

  export interface AckBodyEventHashFieldEvent {
    field: '$.eventHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AckBodyOutcomeFieldEvent {
    field: '$.outcome'
    value: AckOutcome
  }

  export interface AckBodyCodesFieldEvent {
    field: '$.codes[]'
    index: number
    value: string
  }

  export interface AckBodyReceiverFieldEvent {
    field: '$.receiver'
    value: string
  }

  export interface AckBodyTimeFieldEvent {
    field: '$.time'
    value: bigint
  }

  export interface AckBodyCertSha256FieldEvent {
    field: '$.certSha256'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<AckBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AckBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AckBody>): AckBody {
    return decodeMessage(buf, AckBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AckBody>): Generator<AckBodyPartyFieldEvent | AckBodyNumberFieldEvent | AckBodyEventHashFieldEvent | AckBodyOutcomeFieldEvent | AckBodyCodesFieldEvent | AckBodyReceiverFieldEvent | AckBodyTimeFieldEvent | AckBodyCertSha256FieldEvent> {
    return streamMessage(buf, AckBody.codec(), opts)
  }
}

export interface SignedAck {
  body: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedAck {
  let _codec: Codec<SignedAck>

  export const codec = (): Codec<SignedAck> => {
    if (_codec == null) {
      _codec = message<SignedAck>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
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
          body: EMPTY_BYTES,
          signature: EMPTY_BYTES
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
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
                field: `${prefix}.body`,
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

  export interface SignedAckBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedAckSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedAck>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedAck.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedAck>): SignedAck {
    return decodeMessage(buf, SignedAck.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedAck>): Generator<SignedAckBodyFieldEvent | SignedAckSignatureFieldEvent> {
    return streamMessage(buf, SignedAck.codec(), opts)
  }
}

export interface DocumentRequest {
  party: string
  number: string
  sha256: Uint8Array<ArrayBuffer>
}

export namespace DocumentRequest {
  let _codec: Codec<DocumentRequest>

  export const codec = (): Codec<DocumentRequest> => {
    if (_codec == null) {
      _codec = message<DocumentRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.party != null && obj.party !== '')) {
          w.uint32(10)
          w.string(obj.party)
        }

        if ((obj.number != null && obj.number !== '')) {
          w.uint32(18)
          w.string(obj.number)
        }

        if ((obj.sha256 != null && obj.sha256.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.sha256)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          party: '',
          number: '',
          sha256: EMPTY_BYTES
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.party = reader.string()
              break
            }
            case 2: {
              obj.number = reader.string()
              break
            }
            case 3: {
              obj.sha256 = reader.bytes()
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
                field: `${prefix}.party`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.number`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sha256`,
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

  export interface DocumentRequestPartyFieldEvent {
    field: '$.party'
    value: string
  }

  export interface DocumentRequestNumberFieldEvent {
    field: '$.number'
    value: string
  }

  export interface DocumentRequestSha256FieldEvent {
    field: '$.sha256'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<DocumentRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DocumentRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DocumentRequest>): DocumentRequest {
    return decodeMessage(buf, DocumentRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DocumentRequest>): Generator<DocumentRequestPartyFieldEvent | DocumentRequestNumberFieldEvent | DocumentRequestSha256FieldEvent> {
    return streamMessage(buf, DocumentRequest.codec(), opts)
  }
}

export interface DocumentResponse {
  status: Status
  document: Uint8Array<ArrayBuffer>
  code: string
  message: string
}

export namespace DocumentResponse {
  let _codec: Codec<DocumentResponse>

  export const codec = (): Codec<DocumentResponse> => {
    if (_codec == null) {
      _codec = message<DocumentResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(8)
          Status.codec().encode(obj.status, w)
        }

        if ((obj.document != null && obj.document.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.document)
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
          status: Status.STATUS_UNSPECIFIED,
          document: EMPTY_BYTES,
          code: '',
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
              obj.document = reader.bytes()
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
                field: `${prefix}.status`,
                value: Status.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.document`,
                value: reader.bytes()
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

  export interface DocumentResponseStatusFieldEvent {
    field: '$.status'
    value: Status
  }

  export interface DocumentResponseDocumentFieldEvent {
    field: '$.document'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DocumentResponseCodeFieldEvent {
    field: '$.code'
    value: string
  }

  export interface DocumentResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<DocumentResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DocumentResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DocumentResponse>): DocumentResponse {
    return decodeMessage(buf, DocumentResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DocumentResponse>): Generator<DocumentResponseStatusFieldEvent | DocumentResponseDocumentFieldEvent | DocumentResponseCodeFieldEvent | DocumentResponseMessageFieldEvent> {
    return streamMessage(buf, DocumentResponse.codec(), opts)
  }
}
