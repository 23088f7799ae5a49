package io.interlock.command.store;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import io.interlock.command.store.StoreWrites.TimeoutRow;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineManagerSpanFactory;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.deadline.GenericDeadlineMessage;
import org.axonframework.deadline.dbscheduler.DbSchedulerBinaryDeadlineDetails;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineToken;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.ScopeDescriptor;
import org.axonframework.serialization.SerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;

import java.time.Instant;

/**
 * Axon's db-scheduler deadline manager, except that a timeout started inside a transaction is not
 * inserted by db-scheduler (an existence check and an insert, two round trips) but handed to the
 * event store's writes of that transaction ({@link StoreWrites}): it is inserted in the same
 * database transaction as the event that starts the task, in the same batch as other commands'.
 * The row is the one db-scheduler would write (its Java serialization of Axon's binary deadline
 * details), so db-scheduler finds it, and any replica fires it, exactly as before; execution
 * and cancellation stay Axon's.
 */
public class TimeoutsInTransaction extends DbSchedulerDeadlineManager {

    private final org.axonframework.serialization.Serializer serializer;
    private final StoreWriter writer;

    private TimeoutsInTransaction(Builder builder, org.axonframework.serialization.Serializer serializer,
                                  StoreWriter writer) {
        super(builder);
        this.serializer = serializer;
        this.writer = writer;
    }

    @Override
    public String schedule(Instant triggerDateTime, String deadlineName, Object messageOrPayload,
                           ScopeDescriptor deadlineScope) {
        StoreWrites writes = StoreWrites.ofCurrentTransaction();
        if (writes == null) {
            return super.schedule(triggerDateTime, deadlineName, messageOrPayload, deadlineScope);
        }
        DeadlineMessage<Object> message = processDispatchInterceptors(
                GenericDeadlineMessage.asDeadlineMessage(deadlineName, messageOrPayload, triggerDateTime));
        String identifier = IdentifierFactory.getInstance().generateIdentifier();
        DbSchedulerDeadlineToken token = new DbSchedulerDeadlineToken(identifier);
        writes.timeoutsToSerialize.add(() -> {
            TaskInstance<DbSchedulerBinaryDeadlineDetails> task = new TaskInstance<>(token.getTaskName(),
                    token.getId(), details(deadlineName, deadlineScope, message));
            return new TimeoutRow(task.getTaskName(), task.getId(),
                    Serializer.DEFAULT_JAVA_SERIALIZER.serialize(task.getData()), triggerDateTime, task.getPriority());
        });
        writes.writtenBy(writer);
        return identifier;
    }

    /** What Axon's binary deadline task carries: the scope, the payload and the metadata, serialized. */
    private DbSchedulerBinaryDeadlineDetails details(String deadlineName, ScopeDescriptor scope,
                                                     DeadlineMessage<?> message) {
        SerializedObject<byte[]> descriptor = serializer.serialize(scope, byte[].class);
        SerializedObject<byte[]> payload = serializer.serialize(message.getPayload(), byte[].class);
        SerializedObject<byte[]> metaData = serializer.serialize(message.getMetaData(), byte[].class);
        return new DbSchedulerBinaryDeadlineDetails(deadlineName, descriptor.getData(),
                descriptor.getType().getName(), payload.getData(), payload.getType().getName(),
                payload.getType().getRevision(), metaData.getData());
    }

    @org.springframework.context.annotation.Configuration
    static class Wiring {

        /** As Axon's auto-configuration builds its deadline manager, which this one replaces. */
        @Bean
        DeadlineManager deadlineManager(Scheduler scheduler, org.axonframework.config.Configuration configuration,
                                        @Qualifier("eventSerializer") org.axonframework.serialization.Serializer serializer,
                                        TransactionManager transactionManager, DeadlineManagerSpanFactory spanFactory,
                                        StoreWriter writer) {
            Builder builder = DbSchedulerDeadlineManager.builder()
                    .scheduler(scheduler)
                    .scopeAwareProvider(new ConfigurationScopeAwareProvider(configuration))
                    .serializer(serializer)
                    .transactionManager(transactionManager)
                    .spanFactory(spanFactory)
                    .startScheduler(false)
                    .stopScheduler(false);
            return new TimeoutsInTransaction(builder, serializer, writer);
        }
    }
}
