package io.agentbus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DurationConverterTest {

  private final DurationConverter converter = new DurationConverter();

  @ParameterizedTest
  @CsvSource({"500ms,500", "30s,30000", "30,30000", "1.5s,1500", "2m,120000", "1h,3600000", "0.25,250", "20S,20000"})
  @DisplayName("units ms, s, m, h; a bare number is seconds")
  void reads(String text, long millis) {
    assertThat(converter.convert(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1s", "ten", "5 minutes", "1d"})
  @DisplayName("anything else is refused with an example of what works")
  void refuses(String text) {
    assertThatThrownBy(() -> converter.convert(text)).isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("e.g. 500ms, 30s");
  }
}
