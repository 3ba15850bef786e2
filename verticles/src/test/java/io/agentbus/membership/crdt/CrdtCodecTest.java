package io.agentbus.membership.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CrdtCodecTest {

  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = ReplicaId.of("b");
  private static final ORSetCodec<String> SETS = ORSetCodec.ofStrings();

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static ORSetCodec<String> codecOf(Function<String, byte[]> encode, Function<byte[], String> decode) {
    return new ORSetCodec<>(ElementCodec.of(encode, decode));
  }

  private static ORSet<String> sampleSet() {
    ORSet<String> set = ORSet.<String>empty().add(A, "x").state().add(A, "y").state().add(B, "z").state();
    return set.remove("x").state().merge(ORSet.<String>empty().add(ReplicaId.of("c"), "late").state()).removeReplica(
        ReplicaId.of("gone")).state();
  }

  @Test
  @DisplayName("a G-Counter encodes as version, kind, counted replicas with counts, then retired replicas")
  void gCounterLayout() {
    GCounter counter = GCounter.of(Map.of(A, 3L, B, 300L), Set.of(B));

    assertThat(GCounterCodec.encode(counter))
        .containsExactly(bytes(1, 1, 2, 1, 'a', 3, 1, 'b', 0xac, 0x02, 1, 1, 'b'));
  }

  @Test
  @DisplayName("an OR-Set encodes as version, kind, causal context as ranges, then elements with dots by index")
  void orSetLayout() {
    ORSet<String> set = ORSet.<String>empty().add(A, "x").state();

    assertThat(SETS.encode(set)).containsExactly(bytes(1, 2, 1, 1, 'a', 1, 0, 0, 1, 1, 'x', 1, 0, 1));
  }

  @Test
  @DisplayName("states, deltas and digests survive a round trip, including a retired replica's endless range")
  void roundTrips() {
    ORSet<String> set = sampleSet();
    GCounter counter = GCounter.empty().increment(A, 5).state().increment(B, 1).state().prune(B).state();

    assertThat(SETS.decode(SETS.encode(set))).isEqualTo(set);
    assertThat(SETS.decode(SETS.encode(set.remove("y").delta()))).isEqualTo(set.remove("y").delta());
    assertThat(SETS.decode(SETS.encode(ORSet.empty()))).isEqualTo(ORSet.empty());
    assertThat(ORSetDigestCodec.decode(ORSetDigestCodec.encode(set.digest()))).isEqualTo(set.digest());
    assertThat(GCounterCodec.decode(GCounterCodec.encode(counter))).isEqualTo(counter);
    assertThat(GCounterCodec.decode(GCounterCodec.encode(GCounter.empty()))).isEqualTo(GCounter.empty());
  }

  @Test
  @DisplayName("an unknown format version is refused with a message that names it")
  void unknownVersion() {
    byte[] encoded = SETS.encode(sampleSet());
    encoded[0] = 2;

    assertThatThrownBy(() -> SETS.decode(encoded)).isInstanceOf(CrdtDecodingException.class)
        .hasMessageContaining("unknown format version 2");
  }

  @Test
  @DisplayName("bytes of one kind are refused by the decoder of another")
  void wrongKind() {
    byte[] counter = GCounterCodec.encode(GCounter.empty());

    assertThatThrownBy(() -> SETS.decode(counter)).isInstanceOf(CrdtDecodingException.class)
        .hasMessageContaining("kind");
    assertThatThrownBy(() -> ORSetDigestCodec.decode(counter)).isInstanceOf(CrdtDecodingException.class);
  }

  @Test
  @DisplayName("every truncation and any trailing byte is refused")
  void truncatedOrTrailing() {
    byte[] encoded = SETS.encode(sampleSet());

    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> SETS.decode(truncated)).isInstanceOf(CrdtDecodingException.class);
    }
    assertThatThrownBy(() -> SETS.decode(Arrays.copyOf(encoded, encoded.length + 1)))
        .isInstanceOf(CrdtDecodingException.class).hasMessageContaining("unexpected bytes");
    assertThatThrownBy(() -> SETS.decode(null)).isInstanceOf(CrdtDecodingException.class);
  }

  @Test
  @DisplayName("a huge claimed size is refused before anything is allocated for it")
  void hugeClaimedSizes() {
    byte[] elementCount = bytes(1, 2, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
    byte[] elementLength = bytes(1, 2, 0, 1, 0xff, 0xff, 0xff, 0x7f);
    byte[] replicaCount = bytes(1, 1, 0xff, 0xff, 0x03, 0);

    assertThatThrownBy(() -> SETS.decode(elementCount)).isInstanceOf(CrdtDecodingException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> SETS.decode(elementLength)).isInstanceOf(CrdtDecodingException.class)
        .hasMessageContaining("length of element");
    assertThatThrownBy(() -> GCounterCodec.decode(replicaCount)).isInstanceOf(CrdtDecodingException.class)
        .hasMessageContaining("bytes are left");
  }

  @Test
  @DisplayName("non-canonical input is refused: long-form numbers, unsorted replicas, zero counts, adjacent ranges")
  void nonCanonical() {
    assertThatThrownBy(() -> GCounterCodec.decode(bytes(1, 1, 0x80, 0x00, 0)))
        .isInstanceOf(CrdtDecodingException.class).hasMessageContaining("shortest form");
    assertThatThrownBy(() -> GCounterCodec.decode(bytes(1, 1, 2, 1, 'b', 1, 1, 'a', 1, 0)))
        .isInstanceOf(CrdtDecodingException.class).hasMessageContaining("ascending");
    assertThatThrownBy(() -> GCounterCodec.decode(bytes(1, 1, 1, 1, 'a', 0, 0)))
        .isInstanceOf(CrdtDecodingException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> GCounterCodec.decode(bytes(1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80)))
        .isInstanceOf(CrdtDecodingException.class).hasMessageContaining("non-negative long");
  }

  @Test
  @DisplayName("a stored dot outside the causal context, or live dots outside it, break an invariant and are refused")
  void brokenInvariants() {
    byte[] dotOutsideContext = bytes(1, 2, 1, 1, 'a', 1, 0, 0, 1, 1, 'x', 1, 0, 2);
    byte[] rangePastLargestCounter = bytes(1, 2, 1, 1, 'a', 2, 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0x7f, 0, 0, 0);
    byte[] liveOutsideContext = bytes(1, 3, 1, 1, 'a', 1, 0, 0, 1, 0, 1, 1, 0);

    assertThatThrownBy(() -> SETS.decode(dotOutsideContext)).isInstanceOf(CrdtDecodingException.class)
        .hasMessageContaining("outside the causal context");
    assertThatThrownBy(() -> SETS.decode(rangePastLargestCounter)).isInstanceOf(CrdtDecodingException.class)
        .hasMessageContaining("largest counter");
    assertThatThrownBy(() -> ORSetDigestCodec.decode(liveOutsideContext)).isInstanceOf(CrdtDecodingException.class)
        .hasMessageContaining("live dots");
  }

  @Test
  @DisplayName("an element that does not decode is reported as a decoding failure, whatever the element codec throws")
  void elementFailures() {
    byte[] invalidUtf8 = bytes(1, 2, 1, 1, 'a', 1, 0, 0, 1, 1, 0xff, 1, 0, 1);
    ORSetCodec<String> throwing = codecOf(ElementCodec.utf8()::encode, bytes -> {
      throw new IllegalStateException("boom");
    });

    assertThatThrownBy(() -> SETS.decode(invalidUtf8)).isInstanceOf(CrdtDecodingException.class)
        .hasMessageContaining("element");
    assertThatThrownBy(() -> throwing.decode(SETS.encode(sampleSet()))).isInstanceOf(CrdtDecodingException.class)
        .hasMessageContaining("boom");
  }

  @Test
  @DisplayName("encoding refuses what could not come back unchanged: lone surrogates, colliding element bytes")
  void encodingPreconditions() {
    ORSet<String> loneSurrogate = ORSet.<String>empty().add(A, "\ud800").state();
    ORSetCodec<String> colliding = codecOf(element -> new byte[] {1}, bytes -> "one");

    assertThatThrownBy(() -> SETS.encode(loneSurrogate)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> colliding.encode(sampleSet())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplicaId.of("\udc00")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplicaId.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplicaId.of("n".repeat(ReplicaId.MAX_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ORSetCodec.ofStrings().decode(SETS.encode(ORSet.<String>empty().add(A, "😀 ü").state())).elements())
        .containsExactly("😀 ü");
    assertThatThrownBy(() -> new ORSetCodec<String>(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
