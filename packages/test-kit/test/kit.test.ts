/** The kit's own promises: waitFor fails clearly, and the watched store counts what it refused. */
import { describe, expect, it } from 'vitest'
import { WaitTimeoutError, WatchedTrustStore, certPem, signedTrustList, trustStoreFor, waitFor } from '@cites/test-kit'

describe('@cites/test-kit', () => {
  it('waitFor resolves once the condition holds, and fails naming what it waited for', async () => {
    let n = 0
    await waitFor(() => ++n >= 3, { intervalMs: 1 })
    expect(n).toBe(3)
    const err = await waitFor(() => false, { timeoutMs: 30, intervalMs: 5, what: 'TH to hold the permit' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WaitTimeoutError)
    expect((err as Error).message).toBe('timed out after 30 ms waiting for TH to hold the permit')
    await expect(waitFor(() => { throw new Error('broken condition') })).rejects.toThrow('broken condition')
  })

  it('a watched trust store answers as a trust store and counts each refusal per peer', async () => {
    const ch = '12D3KooWCHxqbG5Ysw7Uxo4QmZT1Fh8kbF9mQw2PnRj6DxVu3Ws7'
    const stranger = '12D3KooWXSyqbG5Ysw7Uxo4QmZT1Fh8kbF9mQw2PnRj6DxVu3Ws8'
    const store = await trustStoreFor((await signedTrustList([{ party: 'CH', peerId: ch, certificate: certPem('CH') }])).xml)
    expect(store).toBeInstanceOf(WatchedTrustStore)
    expect(store.sequence).toBe(1)
    expect(store.isAuthorisedPeer(ch)).toBe(true)
    expect(store.refusals()).toBe(0)
    expect(store.isAuthorisedPeer(stranger)).toBe(false)
    expect(store.isAuthorisedPeer(stranger)).toBe(false)
    expect(store.refusals(stranger)).toBe(2)
    expect(store.refusals(ch)).toBe(0)
    expect(store.refusals()).toBe(2)
  })
})
