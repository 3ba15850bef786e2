package io.agentbus.membership;

import io.agentbus.membership.crdt.Dot;
import io.agentbus.membership.crdt.DotSet;
import io.agentbus.membership.crdt.ORSet;
import io.agentbus.membership.crdt.ORSetDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs shard patches into messages of bounded size: a message closes at {@link #MAX_CHUNK_BYTES} or
 * {@link #MAX_CHUNK_ITEMS} agents and counters, and a patch too big for one message is split first (by agents, then
 * by bytes), so there is no size cliff however large a state grows. Not thread-safe.
 */
final class PatchChunker {

  static final int MAX_CHUNK_BYTES = 256 * 1024;
  static final int MAX_CHUNK_ITEMS = 2000;

  private final int maxBytes;
  private final int maxItems;
  private List<byte[]> current = new ArrayList<>();
  private int bytes;
  private int items;

  PatchChunker() {
    this(MAX_CHUNK_BYTES, MAX_CHUNK_ITEMS);
  }

  PatchChunker(int maxBytes, int maxItems) {
    this.maxBytes = maxBytes;
    this.maxItems = maxItems;
  }

  /** Adds a patch; returns the messages (lists of encoded patches) it filled, usually none. */
  List<List<byte[]>> add(ShardPatch patch) {
    List<List<byte[]>> full = new ArrayList<>();
    if (patch.isEmpty()) {
      return full;
    }
    for (ShardPatch part : split(patch, maxItems)) {
      addEncoded(part, full);
    }
    return full;
  }

  private void addEncoded(ShardPatch part, List<List<byte[]>> full) {
    byte[] encoded = PatchCodec.encode(part);
    if (encoded.length > maxBytes && part.items() > 1) {
      for (ShardPatch half : split(part, (part.items() + 1) / 2)) {
        addEncoded(half, full);
      }
      return;
    }
    if (!current.isEmpty() && (bytes + encoded.length > maxBytes || items + part.items() > maxItems)) {
      full.add(current);
      current = new ArrayList<>();
      bytes = 0;
      items = 0;
    }
    current.add(encoded);
    bytes += encoded.length;
    items += part.items();
  }

  /** The last, partly filled message; may be empty. */
  List<byte[]> drain() {
    List<byte[]> rest = current;
    current = new ArrayList<>();
    bytes = 0;
    items = 0;
    return rest;
  }

  /**
   * Splits a patch into parts of at most {@code maxItems} agents or counters whose join is the patch. An agent part
   * holds some entries and exactly their dots as context (taken with {@code missingFor} of a digest that has seen
   * every other dot); one more part carries the rest of the context (removals and retirements).
   */
  static List<ShardPatch> split(ShardPatch patch, int maxItems) {
    if (patch.items() <= maxItems) {
      return List.of(patch);
    }
    List<ShardPatch> parts = new ArrayList<>();
    ORSet<AgentEntry> set = patch.agents();
    List<AgentEntry> entries = new ArrayList<>(set.elements());
    for (int i = 0; i < entries.size(); i += maxItems) {
      List<Dot> dots = new ArrayList<>();
      entries.subList(i, Math.min(entries.size(), i + maxItems)).forEach(e -> dots.addAll(set.dotsOf(e)));
      ORSetDigest seenAllOthers = new ORSetDigest(set.context().minus(DotSet.of(dots)), DotSet.empty());
      parts.add(ShardPatch.ofAgents(patch.shard(), set.missingFor(seenAllOthers)));
    }
    ORSet<AgentEntry> restOfContext = set.missingFor(new ORSetDigest(set.liveDots(), DotSet.empty()));
    if (!restOfContext.context().isEmpty()) {
      parts.add(ShardPatch.ofAgents(patch.shard(), restOfContext));
    }
    Map<String, AgentCounters> counters = new HashMap<>();
    for (Map.Entry<String, AgentCounters> e : patch.counters().entrySet()) {
      counters.put(e.getKey(), e.getValue());
      if (counters.size() == maxItems) {
        parts.add(new ShardPatch(patch.shard(), ORSet.empty(), counters));
        counters = new HashMap<>();
      }
    }
    if (!counters.isEmpty()) {
      parts.add(new ShardPatch(patch.shard(), ORSet.empty(), counters));
    }
    return parts;
  }
}
