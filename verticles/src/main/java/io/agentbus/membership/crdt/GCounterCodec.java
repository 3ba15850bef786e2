package io.agentbus.membership.crdt;

import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The binary encoding of a {@link GCounter}, state or delta alike (see the package documentation for the layout).
 * Equal counters encode to equal bytes, and {@code decode(encode(c)).equals(c)}.
 */
public final class GCounterCodec {

  private GCounterCodec() {
  }

  public static byte[] encode(GCounter counter) {
    WireWriter out = new WireWriter(WireFormat.KIND_G_COUNTER);
    out.writeVarLong(counter.counts().size());
    counter.counts().forEach((replica, count) -> {
      out.writeReplica(replica);
      out.writeVarLong(count);
    });
    out.writeVarLong(counter.retiredReplicas().size());
    counter.retiredReplicas().forEach(out::writeReplica);
    return out.toByteArray();
  }

  /** @throws CrdtDecodingException if the bytes are not a version-1 counter in canonical form, whatever they hold */
  public static GCounter decode(byte[] bytes) {
    WireReader in = WireReader.open(bytes, WireFormat.KIND_G_COUNTER, "a G-Counter");
    TreeMap<ReplicaId, Long> counts = new TreeMap<>();
    int counted = in.readCount(WireFormat.MAX_REPLICAS, 3, "number of counted replicas");
    ReplicaId previous = null;
    for (int i = 0; i < counted; i++) {
      previous = in.readReplicaAfter(previous);
      long count = in.readVarLong("count");
      if (count == 0) {
        throw new CrdtDecodingException("a stored count must be positive, " + previous + " has 0");
      }
      counts.put(previous, count);
    }
    TreeSet<ReplicaId> retired = new TreeSet<>();
    int retiredCount = in.readCount(WireFormat.MAX_REPLICAS, 2, "number of retired replicas");
    previous = null;
    for (int i = 0; i < retiredCount; i++) {
      previous = in.readReplicaAfter(previous);
      retired.add(previous);
    }
    in.requireEnd("G-Counter");
    return GCounter.of(counts, retired);
  }
}
