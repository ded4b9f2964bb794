// pgjdbc (Debian's libpostgresql-jdbc-java) against a running Tributary server.
//
// Usage: java -cp <dir>:/usr/share/java/postgresql.jar JdbcClient <jdbc-url> [metadata]
// Exits 0 when every check passes; otherwise prints the failing check and exits 1. Run by
// tests/integration/drivers_test.cc, which starts the server and compiles this file.
// Covers PreparedStatement with typed parameters (past pgjdbc's prepareThreshold, so named
// server-side statements are used too), executeBatch, transactions, error SQLSTATEs and,
// with "metadata", DatabaseMetaData.
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

public class JdbcClient {
  static void check(boolean condition, String what) {
    if (!condition) {
      System.out.println("FAILED: " + what);
      System.exit(1);
    }
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    boolean metadata = args.length > 1 && args[1].equals("metadata");
    try (Connection conn = DriverManager.getConnection(url)) {
      try (Statement st = conn.createStatement()) {
        st.execute("create table trades (id int primary key, symbol varchar(8), price numeric(12,4),"
            + " qty bigint, at timestamp, day date, buy boolean, score double precision)");
        st.execute("create materialized view volume as"
            + " select symbol, count(*) as n, sum(qty) as q from trades group by symbol");
      }

      // Typed parameters, executed more times than prepareThreshold (5).
      Timestamp at = Timestamp.valueOf("2024-02-29 09:30:00.125");
      try (PreparedStatement ps = conn.prepareStatement(
               "insert into trades values (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 1; i <= 12; i++) {
          ps.setInt(1, i);
          ps.setString(2, i % 2 == 0 ? "ACME" : "INIT");
          ps.setBigDecimal(3, new BigDecimal("101.2500"));
          ps.setLong(4, 100L * i);
          ps.setTimestamp(5, at);
          ps.setDate(6, Date.valueOf("2024-02-29"));
          ps.setBoolean(7, i % 3 == 0);
          if (i == 12) {
            ps.setNull(8, Types.DOUBLE);
          } else {
            ps.setDouble(8, i / 4.0);
          }
          check(ps.executeUpdate() == 1, "insert " + i);
        }
      }
      try (PreparedStatement ps = conn.prepareStatement(
               "select symbol, price, qty, at, day, buy, score from trades where id = ?")) {
        for (int i = 1; i <= 12; i++) {
          ps.setInt(1, i);
          try (ResultSet rs = ps.executeQuery()) {
            check(rs.next(), "row " + i);
            check(rs.getString(1).equals(i % 2 == 0 ? "ACME" : "INIT"), "symbol " + i);
            check(rs.getBigDecimal(2).equals(new BigDecimal("101.2500")), "price " + i);
            check(rs.getLong(3) == 100L * i, "qty " + i);
            check(rs.getTimestamp(4).equals(at), "timestamp " + i + ": " + rs.getTimestamp(4));
            check(rs.getDate(5).toString().equals("2024-02-29"), "date " + i);
            check(rs.getBoolean(6) == (i % 3 == 0), "bool " + i);
            rs.getDouble(7);
            check(i == 12 ? rs.wasNull() : rs.getDouble(7) == i / 4.0, "double " + i);
            check(!rs.next(), "one row " + i);
          }
        }
      }

      // executeBatch.
      try (PreparedStatement ps = conn.prepareStatement(
               "insert into trades (id, symbol, qty) values (?, ?, ?)")) {
        for (int i = 100; i < 300; i++) {
          ps.setInt(1, i);
          ps.setString(2, "BATCH");
          ps.setLong(3, 1);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        check(counts.length == 200, "batch count");
        for (int c : counts) check(c == 1 || c == Statement.SUCCESS_NO_INFO, "batch row count");
      }
      try (Statement st = conn.createStatement();
           ResultSet rs = st.executeQuery("select n, q from volume where symbol = 'BATCH'")) {
        check(rs.next() && rs.getLong(1) == 200 && rs.getLong(2) == 200, "view after batch");
      }

      // Transactions: rollback discards, commit applies.
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        st.executeUpdate("delete from trades where symbol = 'BATCH'");
        conn.rollback();
        try (ResultSet rs = st.executeQuery("select count(*) from trades")) {
          check(rs.next() && rs.getLong(1) == 212, "rollback");
        }
        conn.commit();
        st.executeUpdate("update trades set qty = qty + 1 where symbol = 'ACME'");
        conn.commit();
      }
      conn.setAutoCommit(true);
      try (Statement st = conn.createStatement();
           ResultSet rs = st.executeQuery("select q from volume where symbol = 'ACME'")) {
        check(rs.next() && rs.getLong(1) == 100 * (2 + 4 + 6 + 8 + 10 + 12) + 6, "commit");
      }

      // Errors carry their SQLSTATE.
      try (PreparedStatement ps = conn.prepareStatement("insert into trades (id) values (?)")) {
        ps.setInt(1, 1);
        ps.executeUpdate();
        check(false, "duplicate key must fail");
      } catch (SQLException e) {
        check("23505".equals(e.getSQLState()), "sqlstate " + e.getSQLState());
      }

      if (metadata) {
        DatabaseMetaData md = conn.getMetaData();
        List<String> schemas = new ArrayList<>();
        try (ResultSet rs = md.getSchemas()) {
          while (rs.next()) schemas.add(rs.getString("TABLE_SCHEM"));
        }
        check(schemas.contains("public"), "getSchemas: " + schemas);
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = md.getTables(null, "public", "%", null)) {
          while (rs.next()) tables.add(rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
        }
        check(tables.contains("trades:TABLE"), "getTables: " + tables);
        check(tables.contains("volume:MATERIALIZED VIEW"), "getTables: " + tables);
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = md.getColumns(null, "public", "trades", "%")) {
          while (rs.next()) columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
        }
        check(columns.size() == 8 && columns.get(0).equals("id:int4")
                  && columns.get(2).equals("price:numeric"), "getColumns: " + columns);
        List<String> keys = new ArrayList<>();
        try (ResultSet rs = md.getPrimaryKeys(null, "public", "trades")) {
          while (rs.next()) keys.add(rs.getString("COLUMN_NAME"));
        }
        check(keys.equals(List.of("id")), "getPrimaryKeys: " + keys);
        List<String> indexes = new ArrayList<>();
        try (ResultSet rs = md.getIndexInfo(null, "public", "trades", false, false)) {
          while (rs.next()) {
            indexes.add(rs.getString("INDEX_NAME") + ":" + rs.getString("COLUMN_NAME") + ":"
                + rs.getBoolean("NON_UNIQUE"));
          }
        }
        check(indexes.equals(List.of("trades_pkey:id:false")), "getIndexInfo: " + indexes);
        try (ResultSet rs = md.getImportedKeys(null, "public", "trades")) {
          check(!rs.next(), "getImportedKeys: no foreign keys");
        }
        List<String> types = new ArrayList<>();
        try (ResultSet rs = md.getTypeInfo()) {
          while (rs.next()) types.add(rs.getString("TYPE_NAME"));
        }
        check(types.contains("int4") && types.contains("numeric"), "getTypeInfo: " + types);
      }
    }
    System.out.println("jdbc: all checks passed");
  }
}
