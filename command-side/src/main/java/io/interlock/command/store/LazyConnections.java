package io.interlock.command.store;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;

/**
 * A command's transaction takes a pooled connection only when it first sends SQL. Every command
 * runs in a transaction that begins before it waits for its aggregate's lock, and a command
 * refused from the cached aggregate sends no SQL at all; with eager connections, a burst of
 * commands on one aggregate held the whole pool while queued on that lock, and commands on every
 * other aggregate waited for them.
 */
@Component
class LazyConnections implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !(bean instanceof LazyConnectionDataSourceProxy)) {
            return new LazyConnectionDataSourceProxy(dataSource);
        }
        return bean;
    }
}
