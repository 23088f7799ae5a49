package io.interlock.command.gateway;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * Deletes expired idempotency keys every {@code interlock.idempotency.sweep-interval}. A
 * db-scheduler recurring task: its one row in {@code scheduled_tasks} is picked by one replica at
 * a time, survives restarts, and is taken over when the replica running it dies.
 */
@Configuration
public class IdempotencySweep {

    static final String TASK = "idempotency-key-sweep";
    private static final Logger log = LoggerFactory.getLogger(IdempotencySweep.class);

    @Bean
    Task<Void> idempotencyKeySweep(IdempotencyStore store,
                                   @Value("${interlock.idempotency.sweep-interval:PT10M}") Duration interval) {
        return Tasks.recurring(TASK, FixedDelay.of(interval)).execute((instance, execution) -> {
            int swept = store.sweepExpired();
            if (swept > 0) {
                log.debug("Swept {} expired idempotency keys", swept);
            }
        });
    }
}
