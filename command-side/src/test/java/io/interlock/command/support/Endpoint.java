package io.interlock.command.support;

/** Something the tests can send HTTP requests to: a command-side replica, a query-side app. */
public interface Endpoint {

    String url(String path);
}
