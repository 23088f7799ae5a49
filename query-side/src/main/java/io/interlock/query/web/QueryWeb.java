package io.interlock.query.web;

import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The query side's web layer: strict query input, and a problem body for every error, the ones
 * Tomcat and Spring Security answer before the application is reached included.
 */
@Configuration
public class QueryWeb implements WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new StrictInput());
    }

    /** The firewall's refusals ({@code //}, {@code %2e}, ...) would otherwise be a bare 400, or a 500. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(QueryProblems problems) {
        return problems::firewall;
    }

    /**
     * Replaces the error report valve Boot puts on the host (HTML) with one that answers problems;
     * ordered last, so that Boot's valve is there to be replaced.
     */
    @Bean
    ProblemReports problemReports() {
        return new ProblemReports();
    }

    /**
     * Replaces the error report valve Boot puts on the host (HTML) with one that answers problems;
     * ordered last, so that Boot's valve is there to be replaced.
     */
    static final class ProblemReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                Host host = (Host) context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ProblemReportValve());
                if (host instanceof StandardHost standard) {
                    standard.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
