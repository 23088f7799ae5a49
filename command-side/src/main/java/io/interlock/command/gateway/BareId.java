package io.interlock.command.gateway;

import io.interlock.lifecycle.TenantIds;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Answers show a tenant-owned resource's id within its tenant ({@code web-1}, never
 * {@code acme:web-1}), next to the tenant they name: a member never sees a qualified id, and
 * every reference in one answer is in the same tenant. Put on each id field of an answer with
 * {@code @JsonSerialize(using = BareId.class)} (or {@code contentUsing} for a list of ids); the
 * records themselves keep the qualified id, which the processes behind them address.
 */
public class BareId extends ValueSerializer<String> {

    @Override
    public void serialize(String id, JsonGenerator json, SerializationContext context) {
        json.writeString(TenantIds.bare(id));
    }
}
