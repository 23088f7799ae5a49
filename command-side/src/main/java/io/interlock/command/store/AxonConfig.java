package io.interlock.command.store;

import io.interlock.command.gateway.CommandDispatcher;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerBinaryDeadlineDetails;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import java.time.Duration;

/** Axon wiring that the auto-configuration does not decide for us. */
@Configuration
public class AxonConfig {

    /**
     * Axon's replay token carries an {@code Object} context typed in its JSON, which Jackson 3
     * refuses to read back by default, so a reset processor could never claim its segments again.
     * Polymorphic types are allowed from Axon's and Interlock's own packages only.
     */
    @Bean
    Jackson3SerializerCustomizer trustedPolymorphicTypes() {
        return builder -> builder.polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder()
                .allowIfSubType("org.axonframework.")
                .allowIfSubType("io.interlock.")
                .build());
    }

    /**
     * Copies who asked, the HTTP correlation and trace ids, the idempotency key and the client
     * address from each command onto the events it causes, so the audit trail needs no other
     * source. Axon's default origin provider would replace the caller's correlation id
     * with the command message's own id.
     */
    @Bean
    CorrelationDataProvider auditMetadata() {
        return new SimpleCorrelationDataProvider(CommandDispatcher.PRINCIPAL, CommandDispatcher.CORRELATION_ID,
                CommandDispatcher.TRACE_ID, CommandDispatcher.IDEMPOTENCY_KEY, CommandDispatcher.CLIENT_ADDRESS);
    }

    /**
     * Replaces Axon's task, which finds the deadline manager by its concrete class: Spring can
     * match that only once the bean exists, as it is declared a {@link DeadlineManager}. A timeout
     * that fell due while a replica was starting then failed, and waited for db-scheduler's retry.
     * <p>
     * Axon's task retries a failed deadline five minutes later; a deadline that lost a race on the
     * event store's key to a command on another replica would fire that late. It is tried again
     * after 1 s, doubling. A dead replica's execution is run again (db-scheduler's
     * {@code ReviveDeadExecution}), so a deadline may fire twice: every deadline handler ignores a
     * deadline for a task, lease or sync that is no longer current.
     */
    @Bean
    @Qualifier("deadlineDetailsTask")
    Task<DbSchedulerBinaryDeadlineDetails> deadlineDetailsTask(ApplicationContext context,
            @Value("${interlock.timeouts.retry-after-failure:PT1S}") Duration retryAfterFailure) {
        Task<DbSchedulerBinaryDeadlineDetails> axon = DbSchedulerDeadlineManager.binaryTask(
                () -> (DbSchedulerDeadlineManager) context.getBean(DeadlineManager.class));
        return Tasks.oneTime(axon.getName(), axon.getDataClass())
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(retryAfterFailure, 2.0))
                .onDeadExecution(new DeadExecutionHandler.ReviveDeadExecution<>())
                .execute((instance, execution) -> axon.execute(instance, execution));
    }
}
