package io.interlock.query.access;

import io.interlock.lifecycle.TenantIds;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Answers show a tenant-owned resource's id within its tenant ({@code web-1}, never
 * {@code acme:web-1}), next to the tenant they name, as the command side's answers do: a member
 * never sees a qualified id. Put on each id field of a view with
 * {@code @JsonSerialize(using = BareId.class)} (or {@code contentUsing} for a list of ids); rows
 * keep the qualified id they are keyed by.
 */
public class BareId extends ValueSerializer<String> {

    @Override
    public void serialize(String id, JsonGenerator json, SerializationContext context) {
        json.writeString(TenantIds.bare(id));
    }
}
