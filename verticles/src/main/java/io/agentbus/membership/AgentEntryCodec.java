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
 * if not the default, the inbox. Equal entries give equal bytes.
 */
final class AgentEntryCodec implements ElementCodec<AgentEntry> {

  static final AgentEntryCodec INSTANCE = new AgentEntryCodec();

  private static final int SUSPECT = 1;
  private static final int DEFAULT_INBOX = 2;

  private AgentEntryCodec() {
  }

  @Override
  public byte[] encode(AgentEntry entry) {
    AgentDescriptor a = entry.agent();
    boolean defaultInbox = Addresses.agentInbox(a.id()).equals(a.inbox());
    WireOut out = new WireOut(96);
    out.writeVarLong(entry.stamp());
    out.writeByte((entry.suspect() ? SUSPECT : 0) | (defaultInbox ? DEFAULT_INBOX : 0));
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
    Set<String> types = new LinkedHashSet<>();
    for (int i = 0; i < typeCount; i++) {
      types.add(in.readString(DescriptorRules.MAX_TYPE_BYTES, "type"));
    }
    int capacity = in.readInt(DescriptorRules.MAX_CAPACITY, "capacity");
    int labelCount = in.readCount(DescriptorRules.MAX_LABELS, 2, "labels");
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < labelCount; i++) {
      labels.put(in.readString(DescriptorRules.MAX_LABEL_KEY_BYTES, "label key"),
          in.readString(DescriptorRules.MAX_LABEL_VALUE_BYTES, "label value"));
    }
    String node = in.readString(DescriptorRules.MAX_NODE_ID_BYTES, "home node");
    String inbox = (flags & DEFAULT_INBOX) != 0 ? Addresses.agentInbox(id)
        : in.readString(DescriptorRules.MAX_INBOX_BYTES, "inbox");
    in.requireEnd("agent entry");
    if (id.isEmpty() || types.size() != typeCount || labels.size() != labelCount) {
      throw new MalformedMessageException("an agent entry with an empty id or repeated types or labels");
    }
    try {
      return new AgentEntry(new AgentDescriptor(id, types, capacity, labels, node, inbox), (flags & SUSPECT) != 0,
          stamp);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("not a valid agent: " + e.getMessage(), e);
    }
  }
}
