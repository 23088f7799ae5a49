package io.interlock.command.gateway;

import java.lang.reflect.RecordComponent;
import java.util.Collection;

/**
 * A request refused at the door because one named part of it (a body field, a path variable, a
 * header) is not acceptable. Answered 400 {@code validation} with that name in {@code errors}.
 */
public class InvalidField extends RuntimeException {

    private final String field;

    public InvalidField(String field, String message) {
        // an expected answer, not a fault: no stack trace
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /**
     * Refuses a field of a union body that this action does not take, so a parameter sent to the
     * wrong action (or misspelled into another's name) is not silently ignored.
     */
    public static void unlessOnly(Record body, Collection<String> taken, String action) {
        for (RecordComponent component : body.getClass().getRecordComponents()) {
            if (taken.contains(component.getName())) {
                continue;
            }
            Object value;
            try {
                value = component.getAccessor().invoke(body);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value != null) {
                throw new InvalidField(component.getName(), action + " takes no field '" + component.getName() + "'");
            }
        }
    }
}
