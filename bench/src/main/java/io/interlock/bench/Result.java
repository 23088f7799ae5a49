package io.interlock.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** One measured figure set: which case, which variant, and its numbers. */
record Result(String benchmark, String variant, Map<String, Object> figures) {

    static Result of(String benchmark, String variant, Object... keyValues) {
        Map<String, Object> figures = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            figures.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Result(benchmark, variant, figures);
    }
}
