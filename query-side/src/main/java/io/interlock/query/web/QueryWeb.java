package io.interlock.query.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The query side's web layer: strict query input. The problem bodies for errors decided before
 * the application is reached (Tomcat's, the firewall's, {@code /error}) come from the shared
 * HTTP edge ({@link io.interlock.edge.HttpEdge}).
 */
@Configuration
public class QueryWeb implements WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new StrictInput());
    }
}
