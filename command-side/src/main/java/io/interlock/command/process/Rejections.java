package io.interlock.command.process;

import io.interlock.lifecycle.Rejection;

import java.util.Arrays;
import java.util.Optional;

/** A command's refusal may reach the sender bare or wrapped by Axon; processes need the reason. */
final class Rejections {

    private Rejections() {
    }

    static Optional<Rejection> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Rejection rejection) {
                return Optional.of(rejection);
            }
        }
        return Optional.empty();
    }

    static boolean is(Throwable failure, Rejection.Reason... reasons) {
        return of(failure).map(r -> Arrays.asList(reasons).contains(r.reason())).orElse(false);
    }
}
