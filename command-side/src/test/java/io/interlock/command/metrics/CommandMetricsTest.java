package io.interlock.command.metrics;

import io.interlock.instance.InstanceAction;
import io.interlock.lifecycle.Rejection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a command and its outcome become tags: the action from the command, the reason from the refusal. */
class CommandMetricsTest {

    record RequestWidgetAction(String id, InstanceAction action) {
    }

    record CompleteWidgetTask(String id) {
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CommandMetrics metrics = new CommandMetrics(registry);

    @Test
    void theActionComesFromTheCommandsActionOrItsName() {
        metrics.onMessageIngested(GenericCommandMessage.asCommandMessage(
                new RequestWidgetAction("w", InstanceAction.REBOOT_HARD))).reportSuccess();
        metrics.onMessageIngested(GenericCommandMessage.asCommandMessage(new CompleteWidgetTask("w"))).reportSuccess();

        assertThat(count("reboot-hard", "accepted", "none")).isEqualTo(1);
        assertThat(count("complete-widget-task", "accepted", "none")).isEqualTo(1);
        assertThat(registry.get(CommandMetrics.COMMANDS).counter().getId().getTag("type")).isEqualTo("metrics");
    }

    @Test
    void aRefusalIsCountedByItsReasonAndALostRaceAsARetryOnly() {
        var command = GenericCommandMessage.asCommandMessage(new RequestWidgetAction("w", InstanceAction.SHELVE));
        metrics.onMessageIngested(command).reportFailure(
                new Rejection(Rejection.Reason.INVALID_STATE, "widget", "w", "shelve", null, 3L, true, "busy"));
        metrics.onMessageIngested(command).reportFailure(new ConcurrencyException("another replica appended first"));

        assertThat(count("shelve", "rejected", "invalid-state")).isEqualTo(1);
        assertThat(registry.get(CommandMetrics.LOST_RACES).counter().count()).isEqualTo(1);
        assertThat(registry.find(CommandMetrics.COMMANDS).tag("reason", "error").counter()).isNull();
        assertThat(registry.get(CommandMetrics.DURATION).tag("outcome", "rejected").timer().count()).isEqualTo(1);
    }

    private double count(String action, String outcome, String reason) {
        return registry.get(CommandMetrics.COMMANDS).tag("action", action).tag("outcome", outcome)
                .tag("reason", reason).counter().count();
    }
}
