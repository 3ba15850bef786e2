package io.agentbus.membership;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.Addresses;
import io.agentbus.membership.crdt.ElementCodec;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The compact, canonical binary form of an {@link AgentEntry} inside the replicated set: stamp, flags (suspect; inbox
 * is the default {@code agentbus.agent.<id>.inbox}), id, sorted types, capacity, labels sorted by key, home node and,
 * if not the default, the inbox. Equal entries give equal bytes, and the decoder accepts only this one form.
 */
final class AgentEntryCodec implements ElementCodec<AgentEntry> {

  static final AgentEntryCodec INSTANCE = new AgentEntryCodec();

  /** Agent types and node ids repeat across thousands of entries: decoded entries share one copy of each. */
  private static final StringPool COMMON = new StringPool(4096);
  private static final int SUSPECT = 1;
  private static final int DEFAULT_INBOX = 2;

  private AgentEntryCodec() {
  }

  /** The entry's canonical encoding, computed once when the entry was made; callers must not modify it. */
  @Override
  public byte[] encode(AgentEntry entry) {
    return entry.encoded();
  }

  private static String ascending(String previous, String next) {
    if (previous != null && previous.compareTo(next) >= 0) {
      throw new MalformedMessageException("types and label keys must be strictly ascending");
    }
    return next;
  }

  static byte[] encodeFields(AgentDescriptor a, boolean suspect, long stamp) {
    boolean defaultInbox = Addresses.agentInbox(a.id()).equals(a.inbox());
    WireOut out = new WireOut(96);
    out.writeVarLong(stamp);
    out.writeByte((suspect ? SUSPECT : 0) | (defaultInbox ? DEFAULT_INBOX : 0));
    out.writeString(a.id());
    Set<String> types = a.types().size() < 2 ? a.types() : new TreeSet<>(a.types());
    out.writeVarLong(types.size());
    types.forEach(out::writeString);
    out.writeVarLong(a.capacity());
    Map<String, String> labels = a.labels().size() < 2 ? a.labels() : new TreeMap<>(a.labels());
    out.writeVarLong(labels.size());
    labels.forEach((k, v) -> out.writeString(k).writeString(v));
    out.writeString(a.nodeId() == null ? "" : a.nodeId());
    if (!defaultInbox) {
      out.writeString(a.inbox() == null ? "" : a.inbox());
    }
    return out.toByteArray();
  }

  /**
   * Decodes an entry and keeps {@code bytes} as its encoding, so they must be canonical: varints in their shortest form
   * ({@link WireIn}), strict UTF-8, types and label keys strictly ascending, the default inbox flagged, not spelled.
   */
  @Override
  public AgentEntry decode(byte[] bytes) {
    WireIn in = new WireIn(bytes);
    long stamp = in.readVarLong();
    int flags = in.readByte();
    if ((flags & ~(SUSPECT | DEFAULT_INBOX)) != 0) {
      throw new MalformedMessageException("unknown agent entry flags " + flags);
    }
    String id = in.readString(DescriptorRules.MAX_ID_BYTES, "agent id");
    int typeCount = in.readCount(DescriptorRules.MAX_TYPES, 1, "types");
    Set<String> types = typeCount == 1 ? Set.of(COMMON.intern(in.readString(DescriptorRules.MAX_TYPE_BYTES, "type")))
        : new LinkedHashSet<>();
    String previous = null;
    for (int i = 0; typeCount > 1 && i < typeCount; i++) {
      previous = ascending(previous, COMMON.intern(in.readString(DescriptorRules.MAX_TYPE_BYTES, "type")));
      types.add(previous);
    }
    int capacity = in.readInt(DescriptorRules.MAX_CAPACITY, "capacity");
    int labelCount = in.readCount(DescriptorRules.MAX_LABELS, 2, "labels");
    Map<String, String> labels = labelCount == 0 ? Map.of() : new LinkedHashMap<>();
    previous = null;
    for (int i = 0; i < labelCount; i++) {
      previous = ascending(previous, in.readString(DescriptorRules.MAX_LABEL_KEY_BYTES, "label key"));
      labels.put(previous, in.readString(DescriptorRules.MAX_LABEL_VALUE_BYTES, "label value"));
    }
    String node = COMMON.intern(in.readString(DescriptorRules.MAX_NODE_ID_BYTES, "home node"));
    String inbox = (flags & DEFAULT_INBOX) != 0 ? Addresses.agentInbox(id)
        : in.readString(DescriptorRules.MAX_INBOX_BYTES, "inbox");
    in.requireEnd("agent entry");
    if (id.isEmpty() || ((flags & DEFAULT_INBOX) == 0 && inbox.equals(Addresses.agentInbox(id)))) {
      throw new MalformedMessageException("an agent entry with an empty id, or not in canonical form");
    }
    try {
      AgentDescriptor agent = new AgentDescriptor(id, types, capacity, labels, node, inbox);
      return new AgentEntry(agent, (flags & SUSPECT) != 0, stamp, bytes);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("not a valid agent: " + e.getMessage(), e);
    }
  }
}
