package io.interlock.edge;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The HTTP edge both apps share, imported by each: correlation ids, the access log, problem
 * bodies, the answers for errors decided outside the controllers, and what a slow or idle client
 * may hold (request bodies read without a thread, a deadline for headers). Each app keeps its own exception handlers,
 * input rules and security, and sets {@code interlock.http.*} in its own yml.
 */
@Configuration(proxyBeanMethods = false)
@Import({RequestContext.class, AccessLog.class, Problems.class, ErrorAnswers.class, BodySizeLimit.class,
        HeaderDeadline.class})
public class HttpEdge {
}
