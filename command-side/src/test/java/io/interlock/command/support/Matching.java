package io.interlock.command.support;

import io.interlock.lifecycle.Rejection;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

import java.util.function.Predicate;

/** Small hamcrest matchers for fixture tests: a described predicate, and a typed rejection. */
public final class Matching {

    private Matching() {
    }

    public static <T> Matcher<T> where(String description, Class<T> type, Predicate<T> test) {
        return new TypeSafeMatcher<>(type) {
            @Override
            protected boolean matchesSafely(T item) {
                return test.test(item);
            }

            @Override
            public void describeTo(Description d) {
                d.appendText(description);
            }
        };
    }

    public static Matcher<Rejection> rejected(Rejection.Reason reason) {
        return where("a rejection for " + reason, Rejection.class, r -> r.reason() == reason);
    }
}
