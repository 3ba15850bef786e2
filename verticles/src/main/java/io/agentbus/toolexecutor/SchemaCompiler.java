package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a tool's schemas against the draft 2020-12 meta-schema, checks that every {@code $ref} resolves, and
 * compiles them into validators. Loading the
 * meta-schema reads files and checking takes milliseconds, so everything here runs on a worker thread, one schema at
 * a time (the registry compiles with ordered {@code executeBlocking}).
 */
final class SchemaCompiler {

  static final String BASE_URI = "https://agentbus.io/tools/";
  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

  private final Validator metaSchema;

  /** Blocking: loads the meta-schema from the vertx-json-schema jar. */
  SchemaCompiler(Vertx vertx) {
    metaSchema = SchemaRepository.create(options())
        .preloadMetaSchema(vertx.fileSystem(), Draft.DRAFT202012)
        .validator(META_SCHEMA);
  }

  /**
   * A validator for {@code schema}.
   *
   * @param what names the schema in errors, e.g. "arguments schema of tool calculator"
   * @throws IllegalArgumentException if the schema is missing, not a schema, or has unresolvable references
   */
  synchronized Validator compile(String what, JsonNode schema) {
    if (schema == null || !(schema.isObject() || schema.isBoolean())) {
      throw new IllegalArgumentException(what + " must be a JSON object or a boolean");
    }
    Object json = VertxJson.from(schema);
    OutputUnit check = metaSchema.validate(json);
    if (!check.getValid()) {
      throw new IllegalArgumentException(SchemaViolations.message(what + " is not a valid JSON Schema", check));
    }
    JsonSchema compiled = json instanceof JsonObject object ? JsonSchema.of(object) : JsonSchema.of((Boolean) json);
    try {
      SchemaRepository repository = SchemaRepository.create(options()).dereference(compiled);
      List<String> unresolved = new ArrayList<>();
      collectUnresolved(json, repository, unresolved);
      if (!unresolved.isEmpty()) {
        throw new IllegalArgumentException(what + " cannot be compiled: unresolvable $ref " + unresolved);
      }
      return repository.validator(compiled, options());
    } catch (SchemaException e) {
      throw new IllegalArgumentException(what + " cannot be compiled: " + e.getMessage(), e);
    }
  }

  /**
   * vertx-json-schema resolves a $ref only when validation reaches it; finding each one now turns a typo into a
   * registration error instead of a failure of some later call.
   */
  private static void collectUnresolved(Object json, SchemaRepository repository, List<String> unresolved) {
    if (json instanceof JsonObject object) {
      if (object.getValue("$ref") instanceof String ref
          && repository.find(object.getString("__absolute_ref__", ref)) == null) {
        unresolved.add(ref);
      }
      object.forEach(field -> collectUnresolved(field.getValue(), repository, unresolved));
    } else if (json instanceof JsonArray array) {
      array.forEach(element -> collectUnresolved(element, repository, unresolved));
    }
  }

  private static JsonSchemaOptions options() {
    return new JsonSchemaOptions()
        .setDraft(Draft.DRAFT202012)
        .setBaseUri(BASE_URI)
        .setOutputFormat(OutputFormat.Basic);
  }
}
