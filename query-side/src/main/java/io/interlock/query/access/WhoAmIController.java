package io.interlock.query.access;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Who the credentials belong to: the dashboard shows it, and signs in by asking. */
@RestController
public class WhoAmIController {

    public record Me(String name, List<String> roles, String tenant) {
    }

    @GetMapping("/v1/me")
    public Me me() {
        Reader reader = Reader.current();
        return new Me(reader.name(), reader.roles().stream().sorted().map(r -> r.name().toLowerCase()).toList(),
                reader.tenant());
    }
}
