package io.interlock.command.gateway;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that creates a resource. Any {@code If-Match} on it is answered 412: the client
 * expects a resource that, for a create, does not exist yet (RFC 9110, 13.1.1).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface CreatesResource {
}
