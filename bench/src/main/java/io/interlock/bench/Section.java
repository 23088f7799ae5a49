package io.interlock.bench;

import java.util.List;
import java.util.Map;

/**
 * A case that renders its own table in results.md, and may draw pictures (file name to content,
 * written beside it); its results still all go to results.json.
 */
record Section(List<Result> results, String markdown, Map<String, String> files) {
}
