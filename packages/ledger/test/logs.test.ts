/**
 * No silent catch: a failure the ledger survives (an own-event listener
 * throwing) is logged with a code, and the durable write stands.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { createLogger } from '@cites/runtime'
import { Ledger } from '../src/index.js'
import { NOW, TRUST, chPermit, signer, tempDir } from './kit.js'

describe('ledger logs', () => {
  const dir = tempDir('logs')
  afterEach(() => dir.cleanup())

  it('logs a failing own-event listener with a code, and keeps the event', async () => {
    const lines: Array<Record<string, unknown>> = []
    const destination = new Writable({ write (chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done() } })
    const log = createLogger({ level: 'info', destination })
    const ch = await Ledger.open({ location: dir.path, party: 'CH', signer: await signer('CH'), trust: TRUST, now: () => NOW, log })
    try {
      ch.onOwnEvent(() => { throw new Error('listener broke') })
      const { state } = await ch.issue(chPermit('26CHL0001'))
      expect(state.status).toBe('ISSUED')
      expect((await ch.status('CH', '26CHL0001'))?.status).toBe('ISSUED')
      await new Promise<void>((resolve) => setImmediate(resolve))
      expect(lines).toMatchObject([{ code: 'LISTENER_FAILED', seq: 1 }])
    } finally {
      await ch.close()
    }
  })
})
