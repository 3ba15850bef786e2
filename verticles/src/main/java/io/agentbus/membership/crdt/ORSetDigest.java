package io.agentbus.membership.crdt;

/**
 * What a replica sends to ask a peer for the {@link ORSet} data it lacks ({@link ORSet#missingFor}). Small: ranges of
 * dots per replica, no elements.
 *
 * @param context  every dot the sender has seen
 * @param liveDots the dots that keep an element present at the sender; a subset of {@code context}
 */
public record ORSetDigest(DotSet context, DotSet liveDots) {

  public ORSetDigest {
    if (context == null || liveDots == null) {
      throw new IllegalArgumentException("a digest needs a context and live dots");
    }
    if (!context.containsAll(liveDots)) {
      throw new IllegalArgumentException("live dots must lie within the causal context");
    }
  }
}
