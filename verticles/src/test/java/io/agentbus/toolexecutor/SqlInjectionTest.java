package io.agentbus.toolexecutor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** sql_query against its demo database: parameterized reads work; an injection corpus changes no row. */
class SqlInjectionTest {

  private static final String FINGERPRINT = """
      SELECT (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM products) AS products,
             (SELECT COUNT(*) FROM orders) AS orders,
             (SELECT SUM(id * 31 + LENGTH(name) + LENGTH(city) + LENGTH(tier)) FROM customers) AS c_hash,
             (SELECT SUM(id * 17 + price * 100 + LENGTH(name)) FROM products) AS p_hash,
             (SELECT SUM(id * 13 + customer_id * 7 + product_id * 5 + quantity) FROM orders) AS o_hash,
             (SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC') AS tables""";

  private final ToolExecutorHarness harness = new ToolExecutorHarness();

  @BeforeEach
  void deploy() {
    harness.deploy(NodeConfig.defaults());
  }

  @AfterEach
  void close() {
    harness.close();
  }

  private ToolOutcome query(String sql, Object... params) {
    com.fasterxml.jackson.databind.node.ObjectNode args = Json.object().put("sql", sql);
    args.set("params", Json.MAPPER.valueToTree(List.of(params)));
    return harness.invoke("sql_query", args.toString());
  }

  private JsonNode fingerprint() {
    ToolOutcome outcome = query(FINGERPRINT);
    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    return outcome.result().get("rows");
  }

  @Test
  @DisplayName("A parameterized query reads the demo shop")
  void parameterizedRead() {
    ToolOutcome outcome = query("SELECT c.name, SUM(o.quantity * p.price) AS spent FROM orders o "
        + "JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = o.product_id "
        + "WHERE c.tier = ? GROUP BY c.name ORDER BY spent DESC", "gold");

    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    assertThat(outcome.result().get("columns").toString()).isEqualTo("[\"name\",\"spent\"]");
    assertThat(outcome.result().get("rows").get(0).get(0).asText()).isEqualTo("Ada Lovelace");
    assertThat(outcome.result().get("rows").get(0).get(1).decimalValue()).isEqualByComparingTo("422.50");
    assertThat(outcome.result().get("row_count").intValue()).isEqualTo(2);
  }

  @Test
  @DisplayName("An injection corpus (statements and parameters) is refused or inert, and no row changes")
  void injectionCorpusChangesNothing() {
    JsonNode before = fingerprint();
    List<String> statements = List.of(
        "DELETE FROM orders", "UPDATE products SET price = 0", "INSERT INTO customers VALUES (99, 'x', 'y', 'z')",
        "DROP TABLE orders", "TRUNCATE TABLE customers", "ALTER TABLE products ADD COLUMN pwned INT",
        "CREATE TABLE pwned (id INT)", "MERGE INTO customers KEY(id) VALUES (1, 'x', 'y', 'z')",
        "SELECT 1; DELETE FROM orders", "SELECT * FROM customers; DROP TABLE orders; --",
        "SELECT * FROM customers WHERE name = '' OR 1=1; UPDATE products SET price = 0; --'",
        "CREATE ALIAS EXEC AS 'String exec(String c) throws Exception { return \"\"; }'",
        "CALL CSVWRITE('/tmp/agentbus-pwned.csv', 'SELECT * FROM customers')",
        "SELECT FILE_WRITE('pwned', '/tmp/agentbus-pwned.txt')", "SELECT FILE_READ('/etc/passwd')",
        "SCRIPT TO '/tmp/agentbus-pwned.sql'", "RUNSCRIPT FROM '/tmp/agentbus-pwned.sql'",
        "CREATE LINKED TABLE l('org.h2.Driver', 'jdbc:h2:mem:x', '', '', 'T')", "SET EXCLUSIVE 1",
        "GRANT ALL ON customers TO PUBLIC", "ALTER USER " + DemoDatabase.READER + " ADMIN TRUE",
        "CREATE USER eve PASSWORD 'x' ADMIN", "SHUTDOWN", "DELETE FROM orders WHERE 1=1 --",
        "COMMIT", "SET AUTOCOMMIT TRUE",
        "WITH x AS (DELETE FROM orders RETURNING *) SELECT * FROM x",
        "SELECT * FROM FINAL TABLE (DELETE FROM orders)", "SELECT * FROM NEW TABLE (INSERT INTO customers VALUES (98, 'a', 'b', 'c'))");
    for (String sql : statements) {
      ToolOutcome outcome = query(sql);
      assertThat(outcome.ok()).as(sql + " ran: " + outcome.result()).isFalse();
      assertThat(outcome.error().code()).as(sql).isIn(ErrorCode.TOOL_DENIED.slug(), ErrorCode.INVALID_TOOL_ARGUMENTS.slug());
    }
    List<String> values = List.of("' OR '1'='1", "'; DELETE FROM orders; --", "1; DROP TABLE customers",
        "gold' UNION SELECT name, city, tier, id FROM customers --", "\\'; UPDATE products SET price = 0; --",
        "%' OR 1=1 --", "gold\u0000'; DROP TABLE orders; --");
    for (String value : values) {
      ToolOutcome outcome = query("SELECT id, name FROM customers WHERE tier = ?", value);
      assertThat(outcome.ok()).as(value).isTrue();
      assertThat(outcome.result().get("row_count").intValue()).as("a bound value is only a value: " + value).isZero();
    }

    assertThat(fingerprint()).isEqualTo(before);
    assertThat(harness.list().tools().stream().filter(t -> t.name().equals("sql_query")).findFirst().orElseThrow()
        .circuit().state()).as("bad queries are the caller's fault, not the tool's").isEqualTo("closed");
    assertThat(before.get(0).get(2).intValue()).as("orders are all still there").isEqualTo(10);
  }

  @Test
  @DisplayName("A huge result is cut at the row cap and reported truncated")
  void rowCap() {
    ToolOutcome outcome = query("SELECT X FROM SYSTEM_RANGE(1, 100000)");

    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    assertThat(outcome.result().get("row_count").intValue()).isEqualTo(500);
    assertThat(outcome.result().get("truncated").booleanValue()).isTrue();
  }
}
