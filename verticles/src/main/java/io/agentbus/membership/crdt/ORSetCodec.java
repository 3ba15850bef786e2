package io.agentbus.membership.crdt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The binary encoding of an {@link ORSet}, state or delta alike, with elements encoded by an {@link ElementCodec} (see
 * the package documentation for the layout). Equal sets encode to equal bytes, and {@code decode(encode(s)).equals(s)}.
 * Thread-safe if the element codec is.
 *
 * @param <E> the element type
 */
public final class ORSetCodec<E> {

  private final ElementCodec<E> elements;

  public ORSetCodec(ElementCodec<E> elements) {
    if (elements == null) {
      throw new IllegalArgumentException("an OR-Set codec needs an element codec");
    }
    this.elements = elements;
  }

  /** A codec for sets of strings, e.g. agent descriptors as JSON text. */
  public static ORSetCodec<String> ofStrings() {
    return new ORSetCodec<>(ElementCodec.utf8());
  }

  /**
   * @throws IllegalArgumentException if an element cannot be encoded, encodes to more than 1 MiB, or two elements
   *                                  encode to the same bytes
   */
  public byte[] encode(ORSet<E> set) {
    WireWriter out = new WireWriter(WireFormat.KIND_OR_SET);
    List<ReplicaId> table = DotSetWire.writeWithReplicas(out, set.context());
    Map<ReplicaId, Integer> index = DotSetWire.indexOf(table);
    List<EncodedElement<E>> encoded = encodeSorted(set);
    out.writeVarLong(encoded.size());
    for (EncodedElement<E> entry : encoded) {
      out.writeBytes(entry.bytes());
      SortedSet<Dot> dots = set.dotsOf(entry.element());
      out.writeVarLong(dots.size());
      for (Dot dot : dots) {
        out.writeVarLong(index.get(dot.replica()));
        out.writeVarLong(dot.counter());
      }
    }
    return out.toByteArray();
  }

  private List<EncodedElement<E>> encodeSorted(ORSet<E> set) {
    List<EncodedElement<E>> encoded = new ArrayList<>(set.size());
    for (E element : set.elements()) {
      byte[] bytes = elements.encode(element);
      if (bytes.length > WireFormat.MAX_ELEMENT_BYTES) {
        throw new IllegalArgumentException("an element encodes to " + bytes.length + " bytes, more than the limit of "
            + WireFormat.MAX_ELEMENT_BYTES);
      }
      encoded.add(new EncodedElement<>(element, bytes));
    }
    encoded.sort((a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes()));
    for (int i = 1; i < encoded.size(); i++) {
      if (Arrays.equals(encoded.get(i - 1).bytes(), encoded.get(i).bytes())) {
        throw new IllegalArgumentException("the element codec encodes two different elements to the same bytes");
      }
    }
    return encoded;
  }

  private record EncodedElement<E>(E element, byte[] bytes) {
  }

  /** @throws CrdtDecodingException if the bytes are not a version-1 set in canonical form, whatever they hold */
  public ORSet<E> decode(byte[] bytes) {
    WireReader in = WireReader.open(bytes, WireFormat.KIND_OR_SET, "an OR-Set");
    DotSet context = DotSetWire.readWithReplicas(in);
    List<ReplicaId> table = List.copyOf(context.replicas());
    int count = in.readCount(WireFormat.MAX_ELEMENTS, 4, "number of elements");
    Map<E, List<Dot>> entries = new HashMap<>();
    byte[] previous = null;
    for (int i = 0; i < count; i++) {
      byte[] encoded = in.readBytes(WireFormat.MAX_ELEMENT_BYTES, "element");
      if (previous != null && Arrays.compareUnsigned(previous, encoded) >= 0) {
        throw new CrdtDecodingException("elements are not in strictly ascending order of their bytes");
      }
      previous = encoded;
      if (entries.put(decodeElement(encoded), readDots(in, table)) != null) {
        throw new CrdtDecodingException("two encodings decode to the same element");
      }
    }
    in.requireEnd("OR-Set");
    try {
      return ORSet.of(entries, context);
    } catch (IllegalArgumentException e) {
      throw new CrdtDecodingException("not a valid OR-Set: " + e.getMessage(), e);
    }
  }

  private E decodeElement(byte[] encoded) {
    E element;
    try {
      element = elements.decode(encoded);
    } catch (RuntimeException e) {
      throw new CrdtDecodingException("an element does not decode: " + e.getMessage(), e);
    }
    if (element == null) {
      throw new CrdtDecodingException("an element decodes to null");
    }
    return element;
  }

  private static List<Dot> readDots(WireReader in, List<ReplicaId> table) {
    int count = in.readCount(WireFormat.MAX_DOTS_PER_ELEMENT, 2, "number of dots");
    if (count == 0) {
      throw new CrdtDecodingException("an element is stored without any dot");
    }
    List<Dot> dots = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ReplicaId replica = table.get(DotSetWire.readIndex(in, table));
      long counter = in.readVarLong("dot counter");
      if (counter == 0) {
        throw new CrdtDecodingException("a dot counter starts at 1, was 0");
      }
      Dot dot = new Dot(replica, counter);
      if (!dots.isEmpty() && dots.get(dots.size() - 1).compareTo(dot) >= 0) {
        throw new CrdtDecodingException("an element's dots are not in strictly ascending order");
      }
      dots.add(dot);
    }
    return dots;
  }
}
