package io.interlock.command.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Polls a condition that some process (a replica, a scheduler) makes true in its own time. */
public final class Await {

    private Await() {
    }

    /** True as soon as the condition holds; false when it still does not after {@code within}. */
    public static boolean until(Duration within, BooleanSupplier condition) throws InterruptedException {
        Instant giveUp = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(giveUp)) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }
}
