package io.agentbus.membership.crdt;

import java.util.List;

/**
 * The binary encoding of an {@link ORSetDigest}: the causal context with its replica ids, then the live dots by index
 * into those ids (see the package documentation for the layout).
 */
public final class ORSetDigestCodec {

  private ORSetDigestCodec() {
  }

  public static byte[] encode(ORSetDigest digest) {
    WireWriter out = new WireWriter(WireFormat.KIND_OR_SET_DIGEST);
    List<ReplicaId> table = DotSetWire.writeWithReplicas(out, digest.context());
    DotSetWire.writeIndexed(out, digest.liveDots(), table);
    return out.toByteArray();
  }

  /** @throws CrdtDecodingException if the bytes are not a version-1 digest in canonical form, whatever they hold */
  public static ORSetDigest decode(byte[] bytes) {
    WireReader in = WireReader.open(bytes, WireFormat.KIND_OR_SET_DIGEST, "an OR-Set digest");
    DotSet context = DotSetWire.readWithReplicas(in);
    DotSet liveDots = DotSetWire.readIndexed(in, List.copyOf(context.replicas()));
    in.requireEnd("OR-Set digest");
    try {
      return new ORSetDigest(context, liveDots);
    } catch (IllegalArgumentException e) {
      throw new CrdtDecodingException("not a valid digest: " + e.getMessage(), e);
    }
  }
}
