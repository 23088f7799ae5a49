package io.interlock.command.store;

import io.interlock.command.instance.Instance;
import io.interlock.command.node.LvolPlacement;
import io.interlock.command.node.Node;
import io.interlock.command.replacement.Replacement;
import io.interlock.command.share.Share;
import io.interlock.command.subsystem.Subsystem;
import io.interlock.command.volume.Volume;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Every aggregate is loaded through a {@link CatchUpCachingRepository} and snapshotted every
 * {@code interlock.aggregates.snapshot-every} events, so a command costs the same whether its
 * aggregate has ten events or a hundred thousand. Each {@code @Aggregate} names its bean here.
 */
@org.springframework.context.annotation.Configuration
public class AggregateRepositories {

    private final EventStore eventStore;
    private final ParameterResolverFactory parameters;
    private final HandlerDefinition handlers;
    private final SnapshotTriggerDefinition snapshots;
    private final int cacheCapacity;

    public AggregateRepositories(EventStore eventStore, ParameterResolverFactory parameters, HandlerDefinition handlers,
                                 @Lazy SpringAggregateSnapshotter snapshotter,
                                 @Value("${interlock.aggregates.snapshot-every:100}") int snapshotEvery,
                                 @Value("${interlock.aggregates.cache-capacity:10000}") int cacheCapacity) {
        this.eventStore = eventStore;
        this.parameters = parameters;
        this.handlers = handlers;
        this.snapshots = new EventCountSnapshotTriggerDefinition(snapshotter, snapshotEvery);
        this.cacheCapacity = cacheCapacity;
    }

    /**
     * Snapshots are taken on a thread of their own after the command that crossed the threshold
     * has committed, so that command's caller does not wait for the whole history to be folded.
     */
    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(Configuration configuration, EventStore eventStore,
                                                    TransactionManager transactionManager) {
        ExecutorService snapshotThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "aggregate-snapshotter");
            thread.setDaemon(true);
            return thread;
        });
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameters)
                .handlerDefinition(handlers)
                .executor(snapshotThread)
                .build();
    }

    @Bean
    CatchUpCachingRepository<Instance> instanceRepository() {
        return repository(Instance.class);
    }

    @Bean
    CatchUpCachingRepository<Share> shareRepository() {
        return repository(Share.class);
    }

    @Bean
    CatchUpCachingRepository<Node> nodeRepository() {
        return repository(Node.class);
    }

    @Bean
    CatchUpCachingRepository<LvolPlacement> lvolPlacementRepository() {
        return repository(LvolPlacement.class);
    }

    @Bean
    CatchUpCachingRepository<Subsystem> subsystemRepository() {
        return repository(Subsystem.class);
    }

    @Bean
    CatchUpCachingRepository<Volume> volumeRepository() {
        return repository(Volume.class);
    }

    @Bean
    CatchUpCachingRepository<Replacement> replacementRepository() {
        return repository(Replacement.class);
    }

    private <T> CatchUpCachingRepository<T> repository(Class<T> type) {
        return new CatchUpCachingRepository<>(EventSourcingRepository.builder(type)
                .parameterResolverFactory(parameters)
                .handlerDefinition(handlers)
                .snapshotTriggerDefinition(snapshots), eventStore, new AggregateCache<>(cacheCapacity));
    }
}
