/**
 * The steps of opening a ledger that need no Ledger instance: the store and
 * its shared core, the document master key (refused when it cannot open the
 * documents held), the in-memory views of the logs, and the end of a schema
 * upgrade (delivery records re-keyed, schema recorded, upgrade marker gone).
 */
import { silentLogger } from '@cites/runtime'
import { canonicalPermitNumber } from '@cites/permit'
import { metaNumber } from './codec.js'
import { LedgerCore } from './context.js'
import { assertKeyOpensStore, documentMasterKey } from './documents.js'
import { MetaKey, SCHEMA_VERSION, authorOfIndexedKey, deliveryKey, indexedRange, permitKey } from './keys.js'
import { Locks } from './locks.js'
import { LedgerStore, del, put, type WriteOp } from './store.js'
import type { LedgerInit } from './types.js'

export async function openCore (init: LedgerInit): Promise<{ core: LedgerCore, documentKey: Uint8Array, upgradeFrom?: number }> {
  const { store, party, upgradeFrom } = await LedgerStore.open(init.location, init.party, init.stateCacheSize)
  const core = new LedgerCore({ party, store, signer: init.signer, trust: init.trust, now: init.now ?? Date.now, log: init.log ?? silentLogger, locks: new Locks() })
  try {
    const master = await documentMasterKey(init.location, init.documentKey)
    await assertKeyOpensStore(store, master.created)
    await master.persist()
    return { core, documentKey: master.key, ...(upgradeFrom !== undefined ? { upgradeFrom } : {}) }
  } catch (err) {
    await store.close()
    throw err
  }
}

/** Load what the core keeps in memory of the logs: heads, index watermarks, permits with claims. */
export async function loadViews (core: LedgerCore): Promise<void> {
  const store = core.store
  for await (const [author, head] of store.entries('HEAD')) core.heads.set(author, head)
  for await (const [k, v] of store.entries('META', indexedRange())) {
    const n = metaNumber(v)
    if (n !== undefined) core.indexed.set(authorOfIndexedKey(k), n)
  }
  for await (const r of store.values('CLAIM')) core.claimed.add(permitKey(r.party, r.number))
}

/**
 * The end of an upgrade, once derived state is rebuilt: delivery records
 * keyed by canonical numbers (r8), the schema recorded, the v1 upgrade's
 * marker (ledger.md §7.1) removed, in one synced batch.
 */
export async function finishUpgrade (core: LedgerCore): Promise<void> {
  const store = core.store
  const ops: WriteOp[] = []
  for await (const [key, d] of store.entries('DELIVERY')) {
    const n = canonicalPermitNumber(d.number)
    if (n === undefined || n === d.number) continue
    ops.push(del('DELIVERY', key), put('DELIVERY', deliveryKey(d.party, n), { ...d, number: n }))
  }
  ops.push(put('META', MetaKey.SCHEMA, SCHEMA_VERSION), del('META', MetaKey.UPGRADE))
  await store.write(ops, { sync: true })
}
