package io.interlock.command.gateway;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;

import java.util.Set;

/** A configured credential, carrying the caller's tenant along with its roles. */
public class InterlockUser extends User {

    private final Caller caller;

    public InterlockUser(String name, String password, Set<Role> roles, String tenant) {
        super(name, password, roles.stream().map(r -> new SimpleGrantedAuthority(r.authority())).toList());
        this.caller = new Caller(name, Set.copyOf(roles), tenant);
    }

    public Caller caller() {
        return caller;
    }
}
