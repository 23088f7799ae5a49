package io.interlock.query;

import io.interlock.edge.HttpEdge;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** The read side: projections, the query API, audit and replay administration. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(HttpEdge.class)
public class QuerySideApplication {

    public static void main(String[] args) {
        // Axon's update checker reads this before Spring's environment exists; a control plane does not phone home.
        System.setProperty("axoniq.update-checker.disabled", "true");
        application().run(args);
    }

    /** Reads {@code query-side.yml}, so it can share a classpath with the command side (as in tests). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(QuerySideApplication.class).properties("spring.config.name=query-side");
    }
}
