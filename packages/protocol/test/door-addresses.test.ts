/**
 * What the door counts by (admission.ts): the remote IP as libp2p reports
 * it, and for the per-address cap an IPv4 address or an IPv6 /64, so an
 * outsider with a /64 of its own cannot take the outsiders' share alone.
 */
import { describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { capKey, ipOf } from '../src/admission.js'

describe('the door counts sockets by address', () => {
  it('reads the IP of a TCP address, IPv4-mapped IPv6 as IPv4, and nothing from a DNS name', () => {
    expect(ipOf(multiaddr('/ip4/127.0.0.9/tcp/4001'))).toBe('127.0.0.9')
    expect(ipOf(multiaddr('/ip6/::ffff:10.1.2.3/tcp/4001'))).toBe('10.1.2.3')
    expect(ipOf(multiaddr('/ip6/2001:DB8::1/tcp/4001'))).toBe('2001:db8::1')
    expect(ipOf(multiaddr('/dns4/ma.example.org/tcp/4001'))).toBeUndefined()
  })

  it('an attacker rotating through one IPv6 /64 counts as one address; IPv4 addresses count each', () => {
    const mine = ['2001:db8:0:7::1', '2001:db8::7:ffff:0:0:2', '2001:0db8:0000:0007:abcd::9'].map(capKey)
    expect(new Set(mine).size).toBe(1)
    expect(mine[0]).toBe('2001:db8:0:7::/64')
    expect(capKey('2001:db8:0:8::1')).not.toBe(mine[0])
    expect(capKey('::1')).toBe('0:0:0:0::/64')
    expect(capKey('192.0.2.1')).toBe('192.0.2.1')
    expect(capKey('192.0.2.2')).not.toBe(capKey('192.0.2.1'))
  })
})
