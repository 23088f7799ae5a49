package io.interlock.command.store;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A command's transaction takes a pooled connection only when it first sends SQL. Every command
 * runs in a transaction that begins before it waits for its aggregate's lock, and a command
 * refused from the cached aggregate sends no SQL at all; with eager connections, a burst of
 * commands on one aggregate held the whole pool while queued on that lock, and commands on every
 * other aggregate waited for them.
 * <p>
 * The moment a transaction does take one is noted ({@link StoreWrites}): a transaction that never
 * did may have its events committed in a group with others'.
 */
@Component
class LazyConnections implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !(bean instanceof LazyConnectionDataSourceProxy)) {
            return new LazyConnectionDataSourceProxy(new NotingUse(dataSource));
        }
        return bean;
    }

    /** The pool under the lazy proxy, for work that must not join the current transaction. */
    static DataSource pool(DataSource dataSource) {
        DataSource target = dataSource;
        while (target instanceof DelegatingDataSource delegating) {
            target = delegating.getTargetDataSource();
        }
        return target;
    }

    private static final class NotingUse extends DelegatingDataSource {

        NotingUse(DataSource pool) {
            super(pool);
        }

        @Override
        public Connection getConnection() throws SQLException {
            StoreWrites.markTransactionUsed();
            return super.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            StoreWrites.markTransactionUsed();
            return super.getConnection(username, password);
        }
    }
}
