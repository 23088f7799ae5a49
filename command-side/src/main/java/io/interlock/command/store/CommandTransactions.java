package io.interlock.command.store;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import jakarta.persistence.EntityManagerFactory;

import javax.sql.DataSource;

/**
 * The transaction a command runs in. A command sent from outside any transaction (an HTTP request)
 * touches no JPA entity: its events and timeouts go through {@link StoreWriter}, the export paths
 * and the placement index through JDBC. It gets a plain JDBC transaction on the same data source,
 * which costs no Hibernate session (opening, beginning and closing one was a fifth of a command's
 * CPU). A command sent from inside a transaction (a saga's handler, whose state and token are JPA
 * entities) joins that one, as before, and so does the placement index's subscribing processor,
 * whichever kind its command runs in.
 * <p>
 * The command bus is Axon's own, built as its auto-configuration builds it, with this transaction
 * manager instead of the application-wide one.
 */
@org.springframework.context.annotation.Configuration
public class CommandTransactions {

    /** Joins the transaction in progress through the manager that began it, or begins {@code fresh}. */
    public record Joining(EntityManagerFactory jpaResource, TransactionManager jpa, TransactionManager jdbc,
                          TransactionManager fresh) implements TransactionManager {
        @Override
        public Transaction startTransaction() {
            if (TransactionSynchronizationManager.hasResource(jpaResource)) {
                return jpa.startTransaction();
            }
            if (TransactionSynchronizationManager.isActualTransactionActive()) {
                return jdbc.startTransaction();
            }
            return fresh.startTransaction();
        }
    }

    private final Joining forCommands;
    private final Joining forSubscribers;

    public CommandTransactions(TransactionManager applicationWide, DataSource dataSource, EntityManagerFactory jpa) {
        TransactionManager jdbc = new SpringTransactionManager(new DataSourceTransactionManager(dataSource));
        this.forCommands = new Joining(jpa, applicationWide, jdbc, jdbc);
        this.forSubscribers = new Joining(jpa, applicationWide, jdbc, applicationWide);
    }

    /** For subscribing processors: they run inside the unit of work of the command or deadline. */
    public TransactionManager forSubscribers() {
        return forSubscribers;
    }

    @Bean
    @Qualifier("localSegment")
    SimpleCommandBus commandBus(Configuration axon, DuplicateCommandHandlerResolver duplicates) {
        SimpleCommandBus bus = SimpleCommandBus.builder()
                .transactionManager(forCommands)
                .duplicateCommandHandlerResolver(duplicates)
                .spanFactory(axon.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus"))
                .build();
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return bus;
    }
}
