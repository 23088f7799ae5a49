package io.interlock.query.support;

import io.interlock.command.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A fresh schema holding just the read models' tables, for projection tests without an app. */
public final class ReadModelSchema {

    private ReadModelSchema() {
    }

    public static JdbcTemplate migrated(String schema) {
        TestDatabase.freshSchema(schema);
        DriverManagerDataSource dataSource = new DriverManagerDataSource(TestDatabase.url(schema), TestDatabase.USER, "");
        Flyway.configure().dataSource(dataSource).schemas(schema).locations("classpath:db/migration/query")
                .table("flyway_history_query_side").load().migrate();
        return new JdbcTemplate(dataSource);
    }
}
