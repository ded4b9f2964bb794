// pgjdbc's CopyManager (COPY FROM STDIN and TO STDOUT) against a running Tributary server.
//
// Usage: java -cp <dir>:/usr/share/java/postgresql.jar JdbcCopyClient <jdbc-url>
// Exits 0 when every check passes. Run by tests/integration/copy_test.cc.
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

public class JdbcCopyClient {
  static void check(boolean condition, String what) {
    if (!condition) {
      System.out.println("FAILED: " + what);
      System.exit(1);
    }
  }

  public static void main(String[] args) throws Exception {
    try (Connection conn = DriverManager.getConnection(args[0])) {
      Statement st = conn.createStatement();
      st.execute("create table jc (id int primary key, name text)");
      CopyManager copy = conn.unwrap(PGConnection.class).getCopyAPI();
      long n = copy.copyIn("COPY jc FROM STDIN (FORMAT csv)",
                           new StringReader("1,one\n2,\"t,wo\"\n3,\n"));
      check(n == 3, "copyIn count " + n);
      StringWriter out = new StringWriter();
      long m = copy.copyOut("COPY (select id, name from jc order by id) TO STDOUT", out);
      check(m == 3, "copyOut count " + m);
      check(out.toString().equals("1\tone\n2\tt,wo\n3\t\\N\n"), "copyOut text " + out);
      try {
        copy.copyIn("COPY jc FROM STDIN", new StringReader("4\tfour\nfive\tx\n"));
        check(false, "bad row accepted");
      } catch (SQLException e) {
        check("22P02".equals(e.getSQLState()), "bad row sqlstate " + e.getSQLState());
      }
      ResultSet rs = st.executeQuery("select count(*) from jc");
      rs.next();
      check(rs.getLong(1) == 3, "nothing of the bad COPY applied");
    }
    System.out.println("jdbc copy: all checks passed");
  }
}
