package io.interlock.command.support;

import io.interlock.command.CommandSideApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command-side process: a full Spring Boot application with its own web server, Axon
 * configuration and connection pool, pointed at a shared PostgreSQL schema. Two of these in one
 * JVM behave like two replicas: they share nothing but the database.
 */
public final class Replica implements Endpoint, AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final String name;

    private Replica(String name, ConfigurableApplicationContext context) {
        this.name = name;
        this.context = context;
    }

    public static Replica start(String name, String schema, Map<String, String> extraProperties) {
        return start(name, schema, extraProperties, new ApplicationContextInitializer<?>[0]);
    }

    /** As {@link #start(String, String, Map)}, with initializers run on the context before it refreshes. */
    public static Replica start(String name, String schema, Map<String, String> extraProperties,
                                ApplicationContextInitializer<?>... initializers) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        TestDatabase.freshSchema(schema);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("spring.datasource.url", TestDatabase.url(schema));
        properties.put("spring.datasource.username", TestDatabase.USER);
        properties.put("spring.flyway.schemas", schema);
        properties.put("spring.application.name", "command-side-" + name);
        properties.put("db-scheduler.polling-interval", "500ms");
        // two replicas and a query side per test JVM: stay well inside PostgreSQL's connection limit
        properties.put("spring.datasource.hikari.maximum-pool-size", "8");
        properties.put("logging.level.root", "WARN");
        properties.put("logging.level.io.interlock", "INFO");
        // a repeated command-line argument would be joined with a comma, not replace the default
        properties.putAll(extraProperties);
        List<String> args = new ArrayList<>();
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        ConfigurableApplicationContext context = CommandSideApplication.application()
                .initializers(initializers)
                .profiles("postgres")
                .run(args.toArray(String[]::new));
        return new Replica(name, context);
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    @Override
    public void close() {
        context.close();
    }
}
