package io.interlock.query.access;

import io.interlock.query.web.QueryProblems;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * HTTP Basic over the same configured credentials as the command side. Reading is open to every
 * role (members within their tenant); the audit trail is for auditors and admins; replay is for
 * admins.
 */
@Configuration
public class QuerySecurity {

    @ConfigurationProperties("interlock.security")
    public record Users(Map<String, Entry> users) {
        public record Entry(String password, List<Role> roles, String tenant) {
        }

        public Users {
            users = users == null ? Map.of() : users;
            // A member without a tenant would be scoped to nothing and so see everything: refuse it.
            users.forEach((name, user) -> {
                if (user.roles() != null && user.roles().contains(Role.MEMBER)
                        && (user.tenant() == null || user.tenant().isBlank())) {
                    throw new IllegalStateException("User '" + name + "' is a member but has no tenant");
                }
            });
        }
    }

    /** As on the command side: per-filter observations cost more than a dashboard query. */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain queryApi(HttpSecurity http, QueryProblems problems) throws Exception {
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.authenticationEntryPoint(problems::unauthenticated))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(problems::unauthenticated)
                        .accessDeniedHandler(problems::forbidden))
                .authorizeHttpRequests(auth -> auth
                        // the second dispatch of a streamed or failed request was authorised on the first
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        // The dashboard's page, script and style hold no data: it signs in itself and
                        // every figure on it comes from the API, with the reader's credentials.
                        .requestMatchers(HttpMethod.GET, "/", "/index.html", "/dashboard/**").permitAll()
                        // what a scraper or an operator graphs; never for members: it spans every tenant
                        .requestMatchers("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/**")
                        .hasAnyRole("AGENT", "ADMIN", "METRICS")
                        .requestMatchers("/v1/audit/**").hasAnyRole("AUDITOR", "ADMIN")
                        .requestMatchers("/v1/admin/**").hasRole("ADMIN")
                        // Any other path or method is for Spring MVC to answer, once a reader is known
                        // (a POST to a read endpoint is 405 and an unknown path 404, not a misleading 403);
                        // a scrape account reads nothing else.
                        .anyRequest().hasAnyRole("MEMBER", "AGENT", "ADMIN", "AUDITOR"))
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService accounts(Users users) {
        return name -> {
            Users.Entry entry = users.users().get(name);
            if (entry == null) {
                throw new UsernameNotFoundException(name);
            }
            return new Reader.Account(name, entry.password(),
                    entry.roles() == null || entry.roles().isEmpty() ? EnumSet.noneOf(Role.class)
                            : EnumSet.copyOf(entry.roles()), entry.tenant());
        };
    }
}
