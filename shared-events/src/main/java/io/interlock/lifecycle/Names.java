package io.interlock.lifecycle;

import java.util.Locale;

/** Action names are enum constants in code and kebab-case on the wire. */
public final class Names {

    private Names() {
    }

    public static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static <E extends Enum<E>> E fromKebab(Class<E> type, String wireName) {
        if (wireName == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (kebab(constant).equals(wireName)) {
                return constant;
            }
        }
        return null;
    }
}
