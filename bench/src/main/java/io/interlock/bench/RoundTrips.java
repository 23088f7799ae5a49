package io.interlock.bench;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Counts the database round trips the benchmark's command side makes: every statement execution
 * (a JDBC batch is one, as the PostgreSQL driver pipelines it) and every commit or rollback of a
 * transaction that executed something. It wraps the connection pool itself, underneath the
 * application's own wrappers (a post-processor added to the context runs before those declared as
 * beans), so a connection the application never really takes costs nothing here either. Given to the
 * replica as an initializer; not part of the application.
 */
public final class RoundTrips implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final LongAdder COUNT = new LongAdder();
    private static final LongAdder BACKGROUND = new LongAdder();
    /** The proxies cost CPU of their own, so connections are counted only while a sweep runs. */
    private static volatile boolean counting;

    static void counting(boolean on) {
        counting = on;
    }

    /** Round trips since the process started, of the threads that serve commands. */
    static long count() {
        return COUNT.sum();
    }

    /**
     * Round trips since the process started of the replica's background threads: the sagas' event
     * processors following the event stream, db-scheduler's polls, snapshots.
     */
    static long background() {
        return BACKGROUND.sum();
    }

    /** Command threads: the benchmark's own (in-process commands run on them) and Tomcat's. */
    private static void increment() {
        String thread = Thread.currentThread().getName();
        (thread.startsWith("bench-") || thread.startsWith("http-nio-") ? COUNT : BACKGROUND).increment();
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource pool && !(bean instanceof Counting) ? new Counting(pool) : bean;
            }
        });
    }

    /** Not a Spring delegating data source, so the application's own unwrapping stops here. */
    private record Counting(DataSource pool) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return counted(pool.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return counted(pool.getConnection(username, password));
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return pool.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return type.isInstance(pool) ? type.cast(pool) : pool.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(pool) || pool.isWrapperFor(type);
        }
    }

    private static Connection counted(Connection connection) {
        if (!counting) {
            return connection;
        }
        boolean[] pending = {false};
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if ((name.equals("commit") || name.equals("rollback")) && (args == null || args.length == 0)) {
                if (pending[0]) {
                    increment();
                    pending[0] = false;
                }
            } else if (name.equals("setAutoCommit") && Boolean.TRUE.equals(args[0]) && pending[0]) {
                increment();
                pending[0] = false;
            }
            Object result = invoke(connection, method, args);
            if (result instanceof Statement statement) {
                return statementProxy(statement, method.getReturnType(), connection, pending);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(RoundTrips.class.getClassLoader(), new Class<?>[]{Connection.class},
                handler);
    }

    private static Object statementProxy(Statement statement, Class<?> type, Connection connection, boolean[] pending) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                increment();
                if (!connection.getAutoCommit()) {
                    pending[0] = true;
                }
            }
            return invoke(statement, method, args);
        };
        return Proxy.newProxyInstance(RoundTrips.class.getClassLoader(), new Class<?>[]{type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
