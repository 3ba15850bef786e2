package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolDescriptor;
import io.agentbus.api.ToolRetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code sql_query}: one read-only, parameterized SQL query against the node's demo database ({@link DemoDatabase}):
 * values go in {@code params} and are bound to {@code ?} placeholders, never spliced into the text. The query runs on
 * a worker pool of its own under the reader role (SELECT only, read-only connection, rolled back), with a row cap and
 * a query timeout, and is cancelled when the executor abandons the call.
 */
final class SqlQueryTool implements Tool {

  static final String NAME = "sql_query";
  static final int MAX_SQL_LENGTH = 4000;
  static final int MAX_PARAMS = 32;
  static final int MAX_CONCURRENCY = 4;

  private final DemoDatabase database;
  private final WorkerExecutor workers;
  private final int maxRows;
  private final ToolDescriptor descriptor;

  SqlQueryTool(DemoDatabase database, WorkerExecutor workers, int maxRows, long timeoutMs) {
    this.database = database;
    this.workers = workers;
    this.maxRows = maxRows;
    this.descriptor = new ToolDescriptor(NAME,
        "Runs one read-only SQL query (H2 dialect) with ? placeholders bound to params against the demo shop "
            + "database: customers(id, name, city, tier), products(id, name, category, price), "
            + "orders(id, customer_id, product_id, quantity, ordered_on). Returns the column names and up to "
            + maxRows + " rows (truncated is true if there were more).",
        StrictObjectSchema.of("""
            {
              "sql": {"type": "string", "minLength": 1, "maxLength": %d},
              "params": {
                "type": "array", "maxItems": %d,
                "items": {"anyOf": [{"type": "string", "maxLength": 1000}, {"type": "number"}, {"type": "boolean"},
                                    {"type": "null"}]}
              }
            }""".formatted(MAX_SQL_LENGTH, MAX_PARAMS), "sql"),
        StrictObjectSchema.of("""
            {
              "columns": {"type": "array", "items": {"type": "string"}},
              "rows": {"type": "array", "items": {"type": "array"}},
              "row_count": {"type": "integer", "minimum": 0},
              "truncated": {"type": "boolean"}
            }""", "columns", "rows", "row_count", "truncated"),
        timeoutMs, true, MAX_CONCURRENCY, ToolRetryPolicy.exponential(3, 50, 500), null);
  }

  @Override
  public ToolDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public Future<JsonNode> call(JsonNode arguments, ToolContext context) {
    AtomicReference<Statement> running = new AtomicReference<>();
    context.abandoned().onComplete(v -> cancel(running.get()));
    return workers.executeBlocking(() -> query(arguments, context.timeoutMs(), running), false);
  }

  private JsonNode query(JsonNode arguments, long timeoutMs, AtomicReference<Statement> running) {
    try (Connection connection = database.reader()) {
      try (PreparedStatement statement = connection.prepareStatement(arguments.get("sql").asText())) {
        running.set(statement);
        statement.setQueryTimeout((int) Math.max(1, (timeoutMs + 999) / 1000));
        statement.setMaxRows(maxRows + 1);
        JsonNode params = arguments.path("params");
        for (int i = 0; i < params.size(); i++) {
          bind(statement, i + 1, params.get(i));
        }
        try (ResultSet rows = statement.executeQuery()) {
          return table(rows);
        }
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new AgentbusException(codeOf(e), "the query failed: " + e.getMessage());
    }
  }

  // the caller's query at fault is no failure of the tool (and does not count against its circuit breaker)
  private static ErrorCode codeOf(SQLException e) {
    int code = e.getErrorCode();
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (code == 90040 || code == 90096 || code == 90097 || code == 90098 || state.equals("42501")) {
      return ErrorCode.TOOL_DENIED;
    }
    if (state.equals("57014")) {
      return ErrorCode.TOOL_TIMEOUT;
    }
    if (state.startsWith("42") || state.startsWith("22") || state.startsWith("07") || code == 90002) {
      return ErrorCode.INVALID_TOOL_ARGUMENTS;
    }
    return ErrorCode.TOOL_FAILED;
  }

  private static void bind(PreparedStatement statement, int index, JsonNode value) throws SQLException {
    if (value.isNull()) {
      statement.setObject(index, null);
    } else if (value.isBoolean()) {
      statement.setBoolean(index, value.booleanValue());
    } else if (value.isIntegralNumber() && value.canConvertToLong()) {
      statement.setLong(index, value.longValue());
    } else if (value.isNumber()) {
      statement.setBigDecimal(index, value.decimalValue());
    } else {
      statement.setString(index, value.asText());
    }
  }

  private JsonNode table(ResultSet rows) throws SQLException {
    ResultSetMetaData meta = rows.getMetaData();
    ObjectNode result = Json.object();
    ArrayNode columns = result.putArray("columns");
    for (int c = 1; c <= meta.getColumnCount(); c++) {
      columns.add(meta.getColumnLabel(c).toLowerCase(java.util.Locale.ROOT));
    }
    ArrayNode out = result.putArray("rows");
    boolean truncated = false;
    while (rows.next()) {
      if (out.size() == maxRows) {
        truncated = true;
        break;
      }
      ArrayNode row = out.addArray();
      for (int c = 1; c <= meta.getColumnCount(); c++) {
        row.add(value(rows.getObject(c)));
      }
    }
    result.put("row_count", out.size());
    result.put("truncated", truncated);
    return result;
  }

  private static JsonNode value(Object value) {
    if (value == null) {
      return Json.MAPPER.nullNode();
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return Json.MAPPER.getNodeFactory().numberNode(((Number) value).longValue());
    }
    if (value instanceof BigDecimal decimal) {
      return Json.MAPPER.getNodeFactory().numberNode(decimal);
    }
    if (value instanceof Number number) {
      return Json.MAPPER.getNodeFactory().numberNode(number.doubleValue());
    }
    if (value instanceof Boolean bool) {
      return Json.MAPPER.getNodeFactory().booleanNode(bool);
    }
    return Json.MAPPER.getNodeFactory().textNode(value.toString());
  }

  private static void cancel(Statement statement) {
    if (statement != null) {
      try {
        statement.cancel();
      } catch (SQLException ignored) {
        // it finished or closed meanwhile
      }
    }
  }
}
