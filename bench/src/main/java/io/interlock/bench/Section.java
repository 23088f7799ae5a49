package io.interlock.bench;

import java.util.List;

/** A case that renders its own table in results.md; its results still all go to results.json. */
record Section(List<Result> results, String markdown) {
}
