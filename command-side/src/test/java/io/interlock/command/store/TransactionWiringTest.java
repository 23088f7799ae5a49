package io.interlock.command.store;

import io.interlock.command.support.TwoReplicaTest;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Axon's units of work run in the database transaction Spring manages. Axon's auto-configuration
 * falls back to no transactions at all when it looks for Spring's transaction manager too early;
 * then an event, its deadline and its snapshot would each commit on their own.
 */
class TransactionWiringTest extends TwoReplicaTest {

    @Test
    void axonUsesSpringsTransactionManager() {
        assertThat(a.bean(TransactionManager.class)).isInstanceOf(SpringTransactionManager.class);
    }
}
