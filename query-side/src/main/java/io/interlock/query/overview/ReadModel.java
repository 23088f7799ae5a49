package io.interlock.query.overview;

import io.interlock.query.access.BareId;
import tools.jackson.databind.annotation.JsonSerialize;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What every resource's read model offers the cross-resource views: the stats page, the stuck
 * list, replay administration. A new resource type implements this once (see the README).
 */
public interface ReadModel {

    /** The plural used in URLs, e.g. {@code instances}. */
    String type();

    /** The Axon processing group that projects it, which is also the name replay uses. */
    String processingGroup();

    /** The table its projection writes, which a replay rewrites from scratch. */
    String table();

    /** Counts per value of each state field, for resources the reader may see. */
    Map<String, Map<String, Long>> counts(String tenantScope);

    /** Resources that entered a transitional state before {@code before} and are still in it. */
    List<Stuck> stuckSince(Instant before, String tenantScope);

    record Stuck(String type, @JsonSerialize(using = BareId.class) String id, String tenant, String state, Instant since, long version) {
    }
}
