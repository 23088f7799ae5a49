package io.interlock.query.support;

import io.interlock.command.support.Endpoint;
import io.interlock.command.support.TestDatabase;
import io.interlock.query.QuerySideApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A running query-side application on a test schema, reached over HTTP like any client would. */
public final class QueryApp implements Endpoint, AutoCloseable {

    private final ConfigurableApplicationContext context;

    private QueryApp(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static QueryApp start(String schema, Map<String, String> extraProperties) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + TestDatabase.url(schema),
                "--spring.datasource.username=" + TestDatabase.USER,
                "--spring.flyway.schemas=" + schema,
                "--spring.datasource.hikari.maximum-pool-size=8",
                "--logging.level.root=WARN",
                "--logging.level.io.interlock=INFO"));
        extraProperties.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new QueryApp(QuerySideApplication.application().profiles("postgres").run(args.toArray(String[]::new)));
    }

    @Override
    public String url(String path) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort() + path;
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
