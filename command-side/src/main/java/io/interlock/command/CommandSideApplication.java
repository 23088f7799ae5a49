package io.interlock.command;

import io.interlock.edge.HttpEdge;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@ConfigurationPropertiesScan
@Import(HttpEdge.class)
public class CommandSideApplication {

    public static void main(String[] args) {
        // Axon's update checker reads this before Spring's environment exists; a control plane does not phone home.
        System.setProperty("axoniq.update-checker.disabled", "true");
        application().run(args);
    }

    /**
     * The command side reads {@code command-side.yml}, not {@code application.yml}, so that it and
     * the query side can share one classpath (the query side's tests start both).
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(CommandSideApplication.class).properties("spring.config.name=command-side");
    }
}
