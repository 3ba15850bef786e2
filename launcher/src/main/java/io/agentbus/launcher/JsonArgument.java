package io.agentbus.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import java.io.IOException;
import picocli.CommandLine;

/** Reads a JSON value given on the command line, refusing empty text and anything after the value. */
public final class JsonArgument {

  private JsonArgument() {
  }

  /**
   * Parses {@code text}, the value of {@code option}.
   *
   * @throws CommandLine.ParameterException naming the option and the first problem, so picocli prints it as a usage
   *     error (exit code 2)
   */
  public static JsonNode parse(CommandLine commandLine, String option, String text) {
    JsonNode value;
    try {
      value = Json.MAPPER.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .readValue(text);
    } catch (JsonProcessingException e) {
      throw new CommandLine.ParameterException(commandLine,
          option + " is not JSON: " + e.getOriginalMessage().split("\n")[0]);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(commandLine, option + " could not be read: " + e.getMessage());
    }
    if (value == null || value.isMissingNode()) {
      throw new CommandLine.ParameterException(commandLine, option + " is empty; give a JSON value");
    }
    return value;
  }
}
