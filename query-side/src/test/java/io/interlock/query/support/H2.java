package io.interlock.query.support;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An in-memory H2 database in PostgreSQL mode, with the query side's migrations applied, set up
 * like the embedded default: read-model SQL must run there as well as on PostgreSQL.
 */
public final class H2 {

    private H2() {
    }

    public static JdbcTemplate migrated(String name) {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + name
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/query")
                .table("flyway_history_query_side").load().migrate();
        return new JdbcTemplate(dataSource);
    }
}
