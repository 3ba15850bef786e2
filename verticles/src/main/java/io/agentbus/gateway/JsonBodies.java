package io.agentbus.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Reads request bodies as JSON with limits that hold before any tree is built: nesting depth, string and number
 * length; duplicate keys and trailing content are malformed. Thread-safe.
 */
public final class JsonBodies {

  private final ObjectMapper mapper;
  private final int maxDepth;

  public JsonBodies(int maxDepth, int maxBytes) {
    this.maxDepth = maxDepth;
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxStringLength(Math.max(1024, maxBytes))
            .maxNumberLength(256)
            .build())
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.mapper.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
  }

  /**
   * Parses a body.
   *
   * @throws AgentbusException MALFORMED_JSON or JSON_TOO_DEEP
   */
  public JsonNode parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new AgentbusException(ErrorCode.MALFORMED_JSON, "the request body is empty; send a JSON object");
    }
    try {
      return mapper.readTree(body.getBytes());
    } catch (StreamConstraintsException e) {
      if (e.getMessage() != null && e.getMessage().contains("nesting depth")) {
        throw new AgentbusException(ErrorCode.JSON_TOO_DEEP, "JSON nested deeper than " + maxDepth + " levels");
      }
      throw new AgentbusException(ErrorCode.MALFORMED_JSON, e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new AgentbusException(ErrorCode.MALFORMED_JSON, e.getOriginalMessage() + where);
    } catch (IOException e) {
      throw new AgentbusException(ErrorCode.MALFORMED_JSON, e.getMessage());
    }
  }
}
