// Minimal launcher for a local Neo4j 5.26 community DBMS (embedded, Bolt only).
//
// Started by scripts/neo4j/start.mjs; see scripts/neo4j/README.md.
//
//   java -cp '<lib>/*:<classes>' Launcher --home <dir> [--port 7687] [--page-cache 256m] [--ready-file <file>]
//
// The password for the `neo4j` user is read from the environment variable
// GGEN_NEO4J_PASSWORD (never from argv, so it does not show up in `ps`).
//
// Behaviour:
//  * neo4j_home = --home; store files under <home>/data, Neo4j's own logs under <home>/logs.
//  * Bolt on 127.0.0.1:<port>, unencrypted; HTTP/HTTPS connectors and server-side routing off.
//  * Auth enabled. On every start the `neo4j` user's password is (re)set to GGEN_NEO4J_PASSWORD
//    through the system database, with CHANGE NOT REQUIRED.
//  * Once the password is set, the default database is online and the Bolt port accepts
//    connections, it prints a line starting with "GGEN_NEO4J_READY" and atomically writes
//    the ready file (JSON). The ready file is deleted again on shutdown.
//  * SIGTERM/SIGINT -> JVM shutdown hook -> clean DBMS shutdown.

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo;
import org.neo4j.internal.kernel.api.security.AuthenticationResult;
import org.neo4j.internal.kernel.api.security.LoginContext;
import org.neo4j.kernel.api.security.AuthManager;
import org.neo4j.kernel.api.security.AuthToken;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

public final class Launcher {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        Path home = null;
        Path readyFile = null;
        int port = 7687;
        long pageCache = 256L * 1024 * 1024;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--home": home = Path.of(req(a, v)).toAbsolutePath(); i++; break;
                case "--port": port = Integer.parseInt(req(a, v)); i++; break;
                case "--page-cache": pageCache = parseBytes(req(a, v)); i++; break;
                case "--ready-file": readyFile = Path.of(req(a, v)).toAbsolutePath(); i++; break;
                default: die("unknown argument: " + a);
            }
        }
        if (home == null) die("--home <dir> is required");
        if (readyFile == null) readyFile = home.resolve("ready.json");
        String password = System.getenv("GGEN_NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) die("environment variable GGEN_NEO4J_PASSWORD must be set");

        Files.createDirectories(home);
        Files.deleteIfExists(readyFile);
        log("starting Neo4j " + org.neo4j.kernel.internal.Version.getNeo4jVersion()
                + " home=" + home + " bolt=" + HOST + ":" + port + " pid=" + ProcessHandle.current().pid());

        Instant t0 = Instant.now();
        Log4jLogProvider userLog = new Log4jLogProvider(System.out, Level.INFO);
        final Path ready = readyFile;
        final AtomicReference<DatabaseManagementService> dbmsRef = new AtomicReference<>();
        final CountDownLatch stopped = new CountDownLatch(1);
        final CountDownLatch built = new CountDownLatch(1); // build() returned or threw
        final AtomicBoolean shuttingDown = new AtomicBoolean(false);
        // Registered before build() so a SIGTERM during startup still gets a clean shutdown
        // of whatever is already running.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown.set(true);
            log("shutdown requested, stopping DBMS ...");
            try { Files.deleteIfExists(ready); } catch (IOException ignored) { }
            try {
                // SIGTERM while the DBMS is still being built: let build() finish, then stop it
                // cleanly (halting mid-build would leave the stores needing recovery).
                if (!built.await(2, TimeUnit.MINUTES)) log("gave up waiting for DBMS startup to finish");
                DatabaseManagementService d = dbmsRef.get();
                if (d != null) {
                    d.shutdown();
                    log("DBMS stopped cleanly");
                } else {
                    log("DBMS was not running");
                }
            } catch (Throwable t) {
                log("error during shutdown: " + t);
            } finally {
                userLog.close();
                stopped.countDown();
            }
        }, "ggen-neo4j-shutdown"));

        try {
            DatabaseManagementService dbms;
            try {
                dbms = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(userLog)
                    .setConfig(Map.ofEntries(
                            Map.entry(GraphDatabaseSettings.auth_enabled, true),
                            // local dev convenience: don't reject short passwords (default minimum is 8)
                            Map.entry(GraphDatabaseSettings.auth_minimum_password_length, 1),
                            Map.entry(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST)),
                            Map.entry(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST)),
                            Map.entry(BoltConnector.enabled, true),
                            Map.entry(BoltConnector.listen_address, new SocketAddress(HOST, port)),
                            Map.entry(BoltConnector.advertised_address, new SocketAddress(HOST, port)),
                            Map.entry(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED),
                            Map.entry(HttpConnector.enabled, false),
                            Map.entry(HttpsConnector.enabled, false),
                            Map.entry(GraphDatabaseSettings.routing_enabled, false),
                            Map.entry(GraphDatabaseSettings.pagecache_memory, pageCache),
                            Map.entry(GraphDatabaseSettings.udc_enabled, false),
                            Map.entry(GraphDatabaseSettings.preallocate_logical_logs, false),
                            Map.entry(GraphDatabaseSettings.keep_logical_logs, "2 files"),
                            Map.entry(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5)),
                            // internal settings; defaults (5 s each) make every shutdown take >10 s
                            Map.entry(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1)),
                            Map.entry(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))))
                    .build();
                dbmsRef.set(dbms);
            } finally {
                built.countDown();
            }
            if (shuttingDown.get()) {
                stopped.await(); // the shutdown hook owns the DBMS now
                return;
            }
            log("DBMS started in " + Duration.between(t0, Instant.now()).toMillis() + " ms");

            setPassword(dbms, password);

            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(TimeUnit.MINUTES.toMillis(2))) {
                throw new IllegalStateException("default database did not become available");
            }
            db.executeTransactionally("RETURN 1");
            log("default database '" + db.databaseName() + "' online");
            waitForPort(port, Duration.ofSeconds(30));
        } catch (Throwable t) {
            if (shuttingDown.get()) {
                stopped.await();
                return;
            }
            log("FAILED to start: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1); // runs the shutdown hook, which stops whatever was started
        }

        if (shuttingDown.get()) { // SIGTERM arrived just now: don't advertise readiness
            stopped.await();
            return;
        }
        long pid = ProcessHandle.current().pid();
        String json = String.format(
                "{\"pid\":%d,\"port\":%d,\"host\":\"%s\",\"version\":\"%s\",\"startedAt\":\"%s\",\"startupMs\":%d}%n",
                pid, port, HOST, org.neo4j.kernel.internal.Version.getNeo4jVersion(), Instant.now(),
                Duration.between(t0, Instant.now()).toMillis());
        Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        Files.move(tmp, ready, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("GGEN_NEO4J_READY bolt://" + HOST + ":" + port + " pid=" + pid
                + " startupMs=" + Duration.between(t0, Instant.now()).toMillis());
        System.out.flush();

        stopped.await(); // keep the JVM alive until the shutdown hook ran
    }

    /** Makes sure user neo4j can log in with the given password; idempotent. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        if (!system.isAvailable(TimeUnit.MINUTES.toMillis(2))) {
            throw new IllegalStateException("system database did not become available");
        }
        // Fast path (no Cypher, saves ~5 s per start): is the password already right?
        if (passwordWorks(system, password)) {
            log("password for user 'neo4j' already set");
            return;
        }
        Map<String, Object> params = Map.of("pw", password);
        system.executeTransactionally(
                "CREATE USER neo4j IF NOT EXISTS SET PASSWORD $pw CHANGE NOT REQUIRED", params);
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", params);
        } catch (QueryExecutionException e) {
            // Neo4j refuses to "change" a password to its current value; that's fine for us.
            String msg = String.valueOf(e.getMessage()).toLowerCase();
            if (!(msg.contains("same") || msg.contains("old password"))) throw e;
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
        if (!passwordWorks(system, password)) {
            log("warning: could not verify the new password through the auth manager");
        }
        log("password for user 'neo4j' set");
    }

    /** Logs in as neo4j through the DBMS auth manager (internal API, pinned Neo4j version). */
    private static boolean passwordWorks(GraphDatabaseService system, String password) {
        try {
            AuthManager auth = ((GraphDatabaseAPI) system).getDependencyResolver().resolveDependency(AuthManager.class);
            LoginContext ctx = auth.login(AuthToken.newBasicAuthToken("neo4j", password),
                    ClientConnectionInfo.EMBEDDED_CONNECTION);
            return ctx.subject().getAuthenticationResult() == AuthenticationResult.SUCCESS;
        } catch (Throwable t) {
            log("note: password pre-check unavailable (" + t + "); setting it via Cypher");
            return false;
        }
    }

    private static void waitForPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Bolt port " + port + " is not accepting connections", e);
                }
                Thread.sleep(200);
            }
        }
    }

    private static long parseBytes(String s) {
        String v = s.trim().toLowerCase();
        long mult = 1;
        char last = v.charAt(v.length() - 1);
        if (last == 'k') mult = 1L << 10; else if (last == 'm') mult = 1L << 20; else if (last == 'g') mult = 1L << 30;
        if (mult != 1) v = v.substring(0, v.length() - 1);
        return Long.parseLong(v) * mult;
    }

    private static String req(String flag, String v) {
        if (v == null) die(flag + " needs a value");
        return v;
    }

    private static void die(String msg) {
        System.err.println("[ggen-neo4j] " + msg);
        System.exit(2);
    }

    private static void log(String msg) {
        System.out.println(Instant.now() + " [ggen-neo4j] " + msg);
        System.out.flush();
    }
}
