package io.agentbus.toolexecutor;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The embedded database of {@code sql_query}: an in-memory H2 database of this node, seeded with a small shop
 * (customers, products, orders). The owner account that seeds it stays inside this class; queries get connections
 * of a reader role granted nothing but SELECT on the three tables (no writes, no DDL, no file or code functions,
 * which H2 keeps for administrators), read-only and rolled back. Blocking: use from worker threads.
 */
final class DemoDatabase implements AutoCloseable {

  static final String READER = "AGENTBUS_READER";

  private final String url;
  private final String readerPassword = secret();
  private final Connection owner;

  /** Creates and seeds the database; blocking. */
  DemoDatabase() throws SQLException {
    url = "jdbc:h2:mem:agentbus-demo-" + UUID.randomUUID();
    // the owner's connection keeps the in-memory database alive until close()
    owner = DriverManager.getConnection(url, "owner", secret());
    try (Statement s = owner.createStatement()) {
      s.execute("""
          CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, city VARCHAR(100) NOT NULL,
                                  tier VARCHAR(20) NOT NULL)""");
      s.execute("""
          CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, category VARCHAR(50) NOT NULL,
                                 price DECIMAL(10, 2) NOT NULL)""");
      s.execute("""
          CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL REFERENCES customers(id),
                               product_id INT NOT NULL REFERENCES products(id), quantity INT NOT NULL,
                               ordered_on DATE NOT NULL)""");
      s.execute("""
          INSERT INTO customers VALUES (1, 'Ada Lovelace', 'London', 'gold'), (2, 'Alan Turing', 'Manchester', 'silver'),
            (3, 'Grace Hopper', 'New York', 'gold'), (4, 'Edsger Dijkstra', 'Amsterdam', 'bronze'),
            (5, 'Barbara Liskov', 'Boston', 'silver'), (6, 'Donald Knuth', 'Stanford', 'bronze')""");
      s.execute("""
          INSERT INTO products VALUES (1, 'Espresso machine', 'kitchen', 349.00), (2, 'Coffee beans 1kg', 'grocery', 24.50),
            (3, 'Mechanical keyboard', 'office', 129.99), (4, 'Desk lamp', 'office', 45.00),
            (5, 'Rome city guide', 'books', 19.90), (6, 'Travel adapter', 'travel', 15.75)""");
      s.execute("""
          INSERT INTO orders VALUES (1, 1, 1, 1, DATE '2026-01-05'), (2, 1, 2, 3, DATE '2026-01-20'),
            (3, 2, 3, 1, DATE '2026-02-02'), (4, 3, 5, 2, DATE '2026-02-14'), (5, 3, 6, 2, DATE '2026-02-14'),
            (6, 4, 4, 1, DATE '2026-03-01'), (7, 5, 2, 5, DATE '2026-03-09'), (8, 6, 3, 1, DATE '2026-03-17'),
            (9, 2, 2, 2, DATE '2026-04-01'), (10, 5, 5, 1, DATE '2026-04-11')""");
      s.execute("CREATE USER " + READER + " PASSWORD '" + readerPassword + "'");
      s.execute("GRANT SELECT ON customers, products, orders TO " + READER);
    }
  }

  /** A read-only connection of the reader role; the caller closes it. */
  Connection reader() throws SQLException {
    Connection connection = DriverManager.getConnection(url, READER, readerPassword);
    connection.setReadOnly(true);
    connection.setAutoCommit(false);
    return connection;
  }

  @Override
  public void close() throws SQLException {
    try (Statement s = owner.createStatement()) {
      s.execute("SHUTDOWN");
    } finally {
      owner.close();
    }
  }

  private static String secret() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
