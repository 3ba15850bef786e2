package io.agentbus.membership.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class CrdtCodecPropertiesTest {

  private static final ORSetCodec<String> SETS = ORSetCodec.ofStrings();

  @Property(tries = 200)
  @Label("G-Counter states and deltas of random histories round-trip to equal values and identical bytes")
  void gCounterRoundTrip(@ForAll(supplier = Scenario.Random.class) Scenario scenario) {
    Replicas<GCounter> replicas = GCounterHistory.play(scenario.replicaCount(), scenario.steps()).replicas;

    for (GCounter counter : replicas.statesAndDeltas()) {
      byte[] encoded = GCounterCodec.encode(counter);
      assertThat(GCounterCodec.decode(encoded)).isEqualTo(counter);
      assertThat(GCounterCodec.encode(GCounterCodec.decode(encoded))).isEqualTo(encoded);
    }
  }

  @Property(tries = 200)
  @Label("OR-Set states, deltas and digests of random histories round-trip to equal values and identical bytes")
  void orSetRoundTrip(@ForAll(supplier = Scenario.Random.class) Scenario scenario) {
    Replicas<ORSet<String>> replicas = ORSetHistory.play(scenario.replicaCount(), scenario.steps()).replicas;

    for (ORSet<String> set : replicas.statesAndDeltas()) {
      byte[] encoded = SETS.encode(set);
      assertThat(SETS.decode(encoded)).isEqualTo(set);
      assertThat(SETS.encode(SETS.decode(encoded))).isEqualTo(encoded);
      assertThat(ORSetDigestCodec.decode(ORSetDigestCodec.encode(set.digest()))).isEqualTo(set.digest());
    }
  }

  @Property(tries = 1000)
  @Label("random bytes make every decoder throw nothing but CrdtDecodingException")
  void randomBytes(@ForAll("randomBytes") byte[] bytes) {
    decodesCanonicallyOrRefuses(bytes, GCounterCodec::decode, GCounterCodec::encode);
    decodesCanonicallyOrRefuses(bytes, SETS::decode, SETS::encode);
    decodesCanonicallyOrRefuses(bytes, ORSetDigestCodec::decode, ORSetDigestCodec::encode);
  }

  @Property(tries = 1000)
  @Label("random bytes behind a valid header make every decoder throw nothing but CrdtDecodingException")
  void randomBytesBehindAValidHeader(@ForAll("randomBytes") byte[] body) {
    decodesCanonicallyOrRefuses(withHeader(WireFormat.KIND_G_COUNTER, body), GCounterCodec::decode,
        GCounterCodec::encode);
    decodesCanonicallyOrRefuses(withHeader(WireFormat.KIND_OR_SET, body), SETS::decode, SETS::encode);
    decodesCanonicallyOrRefuses(withHeader(WireFormat.KIND_OR_SET_DIGEST, body), ORSetDigestCodec::decode,
        ORSetDigestCodec::encode);
  }

  @Property(tries = 300)
  @Label("a valid encoding with one byte changed, inserted or dropped is refused, or decodes to its canonical form")
  void mutatedEncodings(@ForAll(supplier = Scenario.Random.class) Scenario scenario,
                        @ForAll @IntRange(max = 1000) int position, @ForAll byte value,
                        @ForAll @IntRange(max = 2) int mutation) {
    ORSet<String> set = ORSetHistory.play(scenario.replicaCount(), scenario.steps()).replicas.joinOfAll();
    GCounter counter = GCounterHistory.play(scenario.replicaCount(), scenario.steps()).replicas.joinOfAll();

    decodesCanonicallyOrRefuses(mutate(SETS.encode(set), position, value, mutation), SETS::decode, SETS::encode);
    decodesCanonicallyOrRefuses(mutate(ORSetDigestCodec.encode(set.digest()), position, value, mutation),
        ORSetDigestCodec::decode, ORSetDigestCodec::encode);
    decodesCanonicallyOrRefuses(mutate(GCounterCodec.encode(counter), position, value, mutation),
        GCounterCodec::decode, GCounterCodec::encode);
  }

  /** Any other exception escapes and fails the property; whatever decodes must be in canonical form. */
  private static <T> void decodesCanonicallyOrRefuses(byte[] bytes, Function<byte[], T> decoder,
                                                      Function<T, byte[]> encoder) {
    T decoded;
    try {
      decoded = decoder.apply(bytes);
    } catch (CrdtDecodingException refused) {
      return;
    }
    assertThat(encoder.apply(decoded)).isEqualTo(bytes);
  }

  private static byte[] withHeader(byte kind, byte[] body) {
    byte[] bytes = new byte[body.length + 2];
    bytes[0] = WireFormat.VERSION;
    bytes[1] = kind;
    System.arraycopy(body, 0, bytes, 2, body.length);
    return bytes;
  }

  private static byte[] mutate(byte[] encoded, int position, byte value, int mutation) {
    List<Byte> bytes = new ArrayList<>();
    for (byte b : encoded) {
      bytes.add(b);
    }
    int at = position % (bytes.size() + 1);
    switch (mutation) {
      case 0 -> bytes.set(Math.min(at, bytes.size() - 1), value);
      case 1 -> bytes.add(at, value);
      default -> bytes.remove(Math.min(at, bytes.size() - 1));
    }
    byte[] mutated = new byte[bytes.size()];
    for (int i = 0; i < mutated.length; i++) {
      mutated[i] = bytes.get(i);
    }
    return mutated;
  }



  @Provide
  Arbitrary<byte[]> randomBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(48);
  }
}
