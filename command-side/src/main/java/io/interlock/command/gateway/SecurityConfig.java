package io.interlock.command.gateway;

import io.interlock.edge.Problems;
import io.interlock.lifecycle.ProblemType;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * HTTP Basic over configured credentials: the plainest standard mechanism for service-to-service
 * callers, with nothing to run beside the service. Roles gate endpoints here; tenancy is checked
 * by the aggregates, which answer 404 for another tenant's resource.
 */
@Configuration
public class SecurityConfig {

    /**
     * Observing each of the security chain's dozen filters on every request cost more than the
     * command behind it; request timings still come from the HTTP server's own observation.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, Problems problems) throws Exception {
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.authenticationEntryPoint(challenge(problems)))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint(challenge(problems))
                        .accessDeniedHandler((request, response, e) ->
                                problems.write(request, response, ProblemType.FORBIDDEN,
                                        "Your role may not do this", Map.of())))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        // what a scraper or an operator graphs; never for members: it spans every tenant
                        .requestMatchers("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/**")
                        .hasAnyRole("AGENT", "ADMIN", "METRICS")
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .hasAnyRole("MEMBER", "AGENT", "ADMIN", "AUDITOR")
                        .requestMatchers(HttpMethod.POST, "/v1/*/*/tasks/**").hasAnyRole("AGENT", "ADMIN")
                        .requestMatchers(HttpMethod.POST, "/v1/instances/*/actions/reset-state").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/v1/shares/*/actions/reset-status").hasRole("ADMIN")
                        // the agent claims queued access rules and reports how applying them went
                        .requestMatchers(HttpMethod.POST, "/v1/shares/*/access-rules/sync",
                                "/v1/shares/*/access-rules/sync/*/result").hasAnyRole("AGENT", "ADMIN")
                        // the replacement workflow is driven by agents' sagas
                        .requestMatchers(HttpMethod.POST, "/v1/replacements/*/transitions/*",
                                "/v1/replacements/*/steps/*/transitions/*", "/v1/replacements/*/steps",
                                "/v1/replacements/*/target-deleted").hasAnyRole("AGENT", "ADMIN")
                        // The agent reports that a namespace is live on the target, or gone from it.
                        .requestMatchers(HttpMethod.POST, "/v1/subsystems/*/namespaces/*/online",
                                "/v1/subsystems/*/namespaces/*/removed").hasAnyRole("AGENT", "MEMBER", "ADMIN")
                        .requestMatchers("/v1/**").hasAnyRole("MEMBER", "ADMIN")
                        // anything else is answered by the application: 404 for a path it does not have
                        .anyRequest().authenticated())
                .build();
    }

    /** A 401 names the scheme to use (RFC 9110), so clients and browsers know to send Basic credentials. */
    private static AuthenticationEntryPoint challenge(Problems problems) {
        return (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"interlock\"");
            problems.write(request, response, ProblemType.UNAUTHENTICATED, "Send HTTP Basic credentials", Map.of());
        };
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService users(SecurityProperties properties) {
        Map<String, InterlockUser> users = properties.users().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> new InterlockUser(e.getKey(),
                        e.getValue().password(),
                        e.getValue().roles() == null || e.getValue().roles().isEmpty()
                                ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(e.getValue().roles()),
                        e.getValue().tenant())));
        return name -> {
            InterlockUser user = users.get(name);
            if (user == null) {
                throw new UsernameNotFoundException(name);
            }
            // Spring erases credentials after authentication, so hand out a fresh copy each time.
            return new InterlockUser(user.getUsername(), user.getPassword(), user.caller().roles(),
                    user.caller().tenant());
        };
    }

}
