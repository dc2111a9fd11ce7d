/**
 * Who may take a slot among the inbound connections still upgrading (the
 * door; network.md §1.1). libp2p caps those slots in total
 * (`maxIncomingPendingConnections`), but anyone who can open a TCP socket
 * can take them: a stranger is known only once Noise completes, and a
 * silent socket holds its slot until the upgrade times out. So, before the
 * upgrade (the gater's `denyInboundConnection`, which sees the remote
 * address):
 * - a socket from an address the trust list gives for a granted authority
 *   is let through to libp2p's total cap;
 * - any other address (an IPv6 /64 as one) may hold at most `perIp` upgrades at once, and all
 *   such addresses together at most `total - reserve`, so the last
 *   `reserve` slots stay for listed addresses whatever outsiders do.
 * A slot here ends when the socket closes or Noise completes (identity is
 * then known: a stranger is refused, a listed peer goes on).
 *
 * libp2p's own allow list (`connectionManager.allow`) is not used: it is
 * fixed when the node is built (the trust list changes at run time), and an
 * allowed socket skips every inbound limit, also counting past
 * `maxIncomingPendingConnections`, which libp2p 3.3 then no longer enforces
 * (it refuses only at exactly the cap).
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { tryGetNetConfig } from '@libp2p/utils'
import type { MultiaddrConnection } from '@libp2p/interface'

/** The trust list's authorities with their addresses: a `TrustStore` fits. */
export interface ListedAddresses {
  readonly current?: { readonly list: { readonly authorities: ReadonlyArray<{ readonly status: string, readonly addresses: readonly string[] }> } } | undefined
}

export interface PendingUpgradeLimits {
  /** libp2p's cap on all pending inbound upgrades. */
  total: number
  /** Slots outsiders may not take. */
  reserve: number
  /** Pending upgrades at once from one address that is no listed peer's (an IPv6 /64 counts as one). */
  perIp: number
}

/** What the door did (counts since the node was built; peaks are high-water marks). */
export interface PendingUpgradeStats {
  /** Upgrades pending now from addresses that are no listed peer's. */
  outsiders: number
  /** The most such upgrades pending at once. */
  peakOutsiders: number
  /** The most pending at once from any one such address. */
  peakPerIp: number
  /** Sockets refused before the upgrade: their address was at its cap, or the outsiders' share was full. */
  refused: number
  /** Sockets from listed addresses let through. */
  listed: number
}

/** The host part of a TCP address, as libp2p reports it (IPv4-mapped IPv6 as plain IPv4). */
export function ipOf (ma: Multiaddr): string | undefined {
  const cfg = tryGetNetConfig(ma)
  if (cfg === null || (cfg.type !== 'ip4' && cfg.type !== 'ip6')) return undefined
  const host = cfg.host.toLowerCase()
  if (!host.startsWith('::ffff:')) return host
  // IPv4-mapped, written either way: ::ffff:10.1.2.3 or ::ffff:a01:203.
  const v4 = host.slice(7)
  if (v4.includes('.')) return v4
  const m = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v4)
  if (m === null) return host
  const hi = parseInt(m[1]!, 16)
  const lo = parseInt(m[2]!, 16)
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
}

/**
 * What the per-address cap counts by: an IPv4 address, or an IPv6 /64 (one
 * host is routinely given a whole /64, so counting single IPv6 addresses
 * would cap nothing).
 */
export function capKey (ip: string): string {
  if (!ip.includes(':')) return ip
  const [head = '', tail] = ip.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`
}

export class PendingUpgrades {
  readonly #limits: PendingUpgradeLimits
  readonly #trust: ListedAddresses
  readonly #byIp = new Map<string, number>()
  // Sockets holding an outsider slot, with what their address counts under.
  readonly #held = new Map<MultiaddrConnection, string>()
  #listedFor: unknown
  #listedIps = new Set<string>()
  readonly #stats: PendingUpgradeStats = { outsiders: 0, peakOutsiders: 0, peakPerIp: 0, refused: 0, listed: 0 }

  constructor (limits: PendingUpgradeLimits, trust: ListedAddresses) {
    this.#limits = limits
    this.#trust = trust
  }

  get stats (): PendingUpgradeStats {
    return { ...this.#stats, outsiders: this.#held.size }
  }

  /** The IPs the current list gives for granted authorities (recomputed when the list changes). */
  #listed (): ReadonlySet<string> {
    const current = this.#trust.current
    if (current !== this.#listedFor) {
      this.#listedFor = current
      this.#listedIps = new Set((current?.list.authorities ?? [])
        .filter((a) => a.status === 'granted')
        .flatMap((a) => a.addresses.flatMap((x) => {
          try { return [ipOf(multiaddr(x))] } catch { return [] }
        }))
        .filter((x): x is string => x !== undefined))
    }
    return this.#listedIps
  }

  /** The gater's `denyInboundConnection`: true refuses the socket before any upgrade work. */
  deny (maConn: MultiaddrConnection): boolean {
    const ip = ipOf(maConn.remoteAddr)
    // Not an IP socket: nothing to count by; libp2p's total cap still applies.
    if (ip === undefined) return false
    if (this.#listed().has(ip)) { this.#stats.listed++; return false }
    const key = capKey(ip)
    const fromIp = this.#byIp.get(key) ?? 0
    // Already gone (reset while queued): no slot to hold, and no 'close' would free one.
    if (maConn.status !== 'open') return false
    if (fromIp >= this.#limits.perIp || this.#held.size >= this.#limits.total - this.#limits.reserve) {
      this.#stats.refused++
      return true
    }
    this.#byIp.set(key, fromIp + 1)
    this.#held.set(maConn, key)
    this.#stats.peakOutsiders = Math.max(this.#stats.peakOutsiders, this.#held.size)
    this.#stats.peakPerIp = Math.max(this.#stats.peakPerIp, fromIp + 1)
    maConn.addEventListener('close', () => { this.settle(maConn) }, { once: true })
    return false
  }

  /** The socket's upgrade reached identity (the encrypted gate) or it closed: its slot is free. */
  settle (maConn: MultiaddrConnection): void {
    const key = this.#held.get(maConn)
    if (key === undefined) return
    this.#held.delete(maConn)
    const left = (this.#byIp.get(key) ?? 1) - 1
    if (left <= 0) this.#byIp.delete(key)
    else this.#byIp.set(key, left)
  }
}
