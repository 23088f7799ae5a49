package io.interlock.command.support;

import io.interlock.lifecycle.Rejection;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** Matches a {@link Rejection} by its reason, for {@code AggregateTestFixture.expectException}. */
public final class Rejected {

    private Rejected() {
    }

    /** A refusal for {@code reason} that tells the caller to retry. */
    public static Matcher<Rejection> retryable(Rejection.Reason reason) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Rejection rejection) {
                return rejection.reason() == reason && rejection.retryable();
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a retryable rejection for " + reason);
            }
        };
    }

    public static Matcher<Rejection> with(Rejection.Reason reason) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Rejection rejection) {
                return rejection.reason() == reason;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a rejection for " + reason);
            }
        };
    }
}
