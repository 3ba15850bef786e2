/**
 * Delta-state CRDTs for the membership layer (DESIGN.md, ground rule 3): an add-wins {@link
 * io.agentbus.membership.crdt.ORSet} for the agent registry and a grow-only {@link
 * io.agentbus.membership.crdt.GCounter} for load. Pure Java, immutable, thread-safe, no Vert.x.
 *
 * <h2>How replicas use them</h2>
 * <ul>
 *   <li>A local change returns an {@link io.agentbus.membership.crdt.Update}: keep its state, publish its delta.
 *       Receivers {@code mergeDelta} it. Deltas may be lost, repeated or reordered.</li>
 *   <li>Anti-entropy heals what was lost. OR-Set: send {@code digest()}, the peer answers {@code missingFor(digest)},
 *       merge the answer. G-Counter: the state is its own digest; the peer answers {@code missingFor(state)}.</li>
 *   <li>When a node leaves for good, every survivor calls {@code ORSet.removeReplica(node)} and
 *       {@code GCounter.prune(node)} on its own; the states still converge (see those methods).</li>
 * </ul>
 *
 * <h2>Encoding, version 1</h2>
 * All numbers are unsigned LEB128 varints in their shortest form (at most 9 bytes, non-negative). Strings are a
 * varint byte length and strict UTF-8; element bytes are a varint length and the {@link
 * io.agentbus.membership.crdt.ElementCodec}'s bytes. Lists are sorted strictly ascending, so every value has exactly
 * one encoding and decoders reject anything else.
 * <pre>
 *   G-Counter  = 0x01 0x01  n (replica count)*n  m (replica)*m        counts positive; the m replicas are retired
 *   OR-Set     = 0x01 0x02  context  e (element d (index counter)*d)*e elements by unsigned bytes, d &gt;= 1
 *   Digest     = 0x01 0x03  context  k (index ranges)*k                 the live dots, a subset of the context
 *   context    = r (replica ranges)*r                                  replica i of the context is index i
 *   ranges     = c (gap span)*c   c &gt;= 1; start = previous end + 2 + gap (first: 1 + gap), end = start + span
 * </pre>
 * The first byte is the format version, the second the kind. Decoders throw only {@link
 * io.agentbus.membership.crdt.CrdtDecodingException}: for an unknown version or kind, truncation, trailing bytes,
 * non-canonical order, an invariant broken (a stored dot outside the context, live dots outside the context), or a
 * size over its limit (65,536 replicas, 1,000,000 ranges per replica, 1,000,000 elements, 1 MiB per element). Before
 * allocating, every length is also checked against the bytes that are left, so memory stays proportional to the input.
 * Callers bound the input size itself.
 */
package io.agentbus.membership.crdt;
