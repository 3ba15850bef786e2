package io.agentbus.membership.crdt;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8: text that would not survive a round trip is refused instead of silently replaced. */
final class Utf8 {

  private Utf8() {
  }

  static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** @throws IllegalArgumentException if the text holds a lone surrogate */
  static byte[] encode(String text) {
    if (!isWellFormed(text)) {
      throw new IllegalArgumentException("text is not well-formed UTF-16 (lone surrogate)");
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** @throws IllegalArgumentException if the bytes are not well-formed UTF-8 */
  static String decode(byte[] bytes) {
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("bytes are not well-formed UTF-8", e);
    }
  }
}
